using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Tests;

/// <summary>
/// On SQLite the app's connections leave the write-ahead log alone (no request's commit copies it into the database
/// file), and a background task copies it there instead, soon after the writes.
/// </summary>
public sealed class BackgroundCheckpoints(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    [Fact]
    public async Task TheAppsConnectionsDoNotCheckpointAndTheLogStillReachesTheDatabaseFile()
    {
        _ = factory.Services; // the app starts, with its background tasks
        // A connection first opened now, from the app's own pool of contexts.
        var autoCheckpoint = await factory.QueryAsync(db => db.Database.SqlQueryRaw<long>("PRAGMA wal_autocheckpoint").ToListAsync());
        Assert.Equal([0L], autoCheckpoint);

        var before = new FileInfo(factory.DatabaseFile).Length;
        // About 2 MB of new rows: far past the log's usual 4 MB limit it would take a commit to copy, so only the
        // background checkpoint can bring the file's size up within the wait.
        await factory.QueryAsync(async db =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var patient = new Patient(Mrn.Of($"CK-{i:D6}"), "Ines", "Walker", new DateOnly(1960, 1, 1), Sex.Female, DateTimeOffset.UtcNow);
                patient.Update("Ines", "Walker", new DateOnly(1960, 1, 1), Sex.Female, null, null, new string('x', 900));
                db.Patients.Add(patient);
            }
            return await db.SaveChangesAsync();
        });

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (new FileInfo(factory.DatabaseFile).Length <= before && waited.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(100);
        Assert.True(new FileInfo(factory.DatabaseFile).Length > before,
            $"The database file stayed at {before} bytes for {waited.Elapsed.TotalSeconds:F0} s after the writes: nothing checkpointed the log.");
    }
}
