using KneeClinic.Core.Audit;
using KneeClinic.Core.Patients;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Core.Tests;

/// <summary>
/// The hash chain over a real SQLite file: every save links its entries to the last one, and a walk along the
/// chain names the first entry that was changed, deleted or slipped in by hand. (This file is made with
/// EnsureCreated, so it has no append-only triggers; the Web tests check those on the migrated database.)
/// </summary>
public sealed class AuditChainIntegrity : IDisposable
{
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task SavePatientsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = _database.Open();
            db.Patients.Add(new Patient(Mrn.Of($"MRN-{i}"), "Zoë", $"Chain {i}", new DateOnly(1970, 5, 1), Sex.Female, _database.Clock.GetUtcNow()));
            db.AuditEntries.Add(AuditEntry.Event(AuditAction.Viewed, "Patient", $"viewed-{i}"));
            await db.SaveChangesAsync();
            _database.Clock.Advance(TimeSpan.FromSeconds(1.2345678));
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = _database.Open();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private async Task<ChainReport> VerifyAsync()
    {
        await using var db = _database.Open();
        return await AuditChain.VerifyAsync(db);
    }

    [Fact]
    public async Task EntriesAreNumberedWithoutGapsAndEachHoldsTheHashOfTheOneBefore()
    {
        await SavePatientsAsync(5);

        await using var db = _database.Open();
        var entries = await db.AuditEntries.OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Null(entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.All(entries, e => Assert.Equal(AuditChain.HashOf(e), e.Hash));
        Assert.All(entries, e => Assert.Equal("user-1", e.UserId));
        // The patient's own entries name the patient, so a patient's trail can be found.
        Assert.All(entries.Where(e => e.Entity == nameof(Patient) && e.Action == AuditAction.Created), e => Assert.Equal(Guid.Parse(e.EntityId), e.PatientId));

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(10, report.Entries);
        Assert.Equal(10, report.HeadSequence);
        Assert.Equal(entries[^1].Hash, report.HeadHash);
    }

    [Theory]
    [InlineData("UPDATE AuditEntries SET EntityId = EntityId || 'x' WHERE Sequence = 5", 5, "was changed after it was written")]
    [InlineData("UPDATE AuditEntries SET UserName = 'someone.else@clinic.test' WHERE Sequence = 3", 3, "was changed after it was written")]
    [InlineData("UPDATE AuditEntries SET At = At + 2048 WHERE Sequence = 8", 8, "was changed after it was written")]
    [InlineData("DELETE FROM AuditEntries WHERE Sequence = 4", 4, "Entries 4 to 4 are missing")]
    [InlineData("DELETE FROM AuditEntries WHERE Sequence IN (1, 2)", 1, "Entries 1 to 2 are missing")]
    [InlineData("UPDATE AuditEntries SET Hash = NULL WHERE Sequence = 6", 6, "has no hash")]
    public async Task AnEntryChangedOrDeletedInTheFileIsReportedWhereItHappened(string tampering, long brokenAt, string problem)
    {
        await SavePatientsAsync(5);
        Assert.True((await VerifyAsync()).Intact);

        await ExecuteAsync(tampering);

        var report = await VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(brokenAt, report.BrokenAt);
        Assert.Contains(problem, report.Problem);
    }

    [Fact]
    public async Task AnEntryWhoseHashWasRecomputedAfterAnEditStillBreaksTheLinkToTheNext()
    {
        await SavePatientsAsync(3);
        await using (var db = _database.Open())
        {
            // Someone with the file edits entry 2 and gives it a hash that matches its new contents.
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 2);
            var forged = AuditEntry.Event(entry.Action, entry.Entity, "forged", entry.PatientId, entry.NewValues, entry.UserId, entry.UserName);
            typeof(AuditEntry).GetProperty(nameof(AuditEntry.At))!.SetValue(forged, entry.At);
            typeof(AuditEntry).GetProperty(nameof(AuditEntry.Sequence))!.SetValue(forged, 2L);
            typeof(AuditEntry).GetProperty(nameof(AuditEntry.PreviousHash))!.SetValue(forged, entry.PreviousHash);
            var hash = AuditChain.HashOf(forged);
            await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET EntityId = 'forged', Hash = {hash} WHERE Sequence = 2");
        }

        var report = await VerifyAsync();
        Assert.Equal(3, report.BrokenAt);
        Assert.Contains("does not follow the entry before it", report.Problem);
    }

    [Fact]
    public async Task EntriesWrittenBeforeTheChainBeganAreCountedAndTheChainStartsAfterThem()
    {
        // As the AuditChain migration leaves an existing database: old entries numbered by their id, with no hash.
        await ExecuteAsync("""
            INSERT INTO AuditEntries (Sequence, At, UserName, Entity, EntityId, Action) VALUES (1, 0, 'system', 'Patient', 'a', 'Created');
            INSERT INTO AuditEntries (Sequence, At, UserName, Entity, EntityId, Action) VALUES (2, 0, 'system', 'Patient', 'b', 'Created');
            """);
        await SavePatientsAsync(2);

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(2, report.BeforeChain);
        Assert.Equal(6, report.HeadSequence);
    }

    [Fact]
    public async Task ConcurrentSavesOnOneFileStillFormOneUnbrokenChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                await using var db = _database.Open();
                db.Patients.Add(new Patient(Mrn.Of($"W{w}-{i}"), "Par", $"Allel {w}-{i}", new DateOnly(1980, 1, 1), Sex.Male, _database.Clock.GetUtcNow()));
                await db.SaveChangesAsync();
            }
        })));

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(120, report.Entries);
        Assert.Equal(120, report.HeadSequence);
    }

    [Fact]
    public async Task SavingOutsideItsOwnTransactionIsRefusedRatherThanLeftUnchained()
    {
        await using var db = _database.Open();
        db.Patients.Add(new Patient(Mrn.Of("MRN-SYNC"), "Syn", "Chronous", new DateOnly(1970, 1, 1), Sex.Male, _database.Clock.GetUtcNow()));
        Assert.Throws<NotSupportedException>(() => db.SaveChanges());
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task ADataProtectionKeyIsSavedSynchronouslyAloneAndNeverEntersTheTrail()
    {
        // ASP.NET Core's key ring repository saves new keys with SaveChanges: that save alone goes through.
        await using (var db = _database.Open())
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-1", Xml = "<key><masterKey>c2VjcmV0</masterKey></key>" });
            Assert.Equal(1, db.SaveChanges());
        }
        // A key slipped into an ordinary save is stored, and left out of the trail as well.
        await using (var db = _database.Open())
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-2", Xml = "<key><masterKey>c2VjcmV0</masterKey></key>" });
            db.Patients.Add(new Patient(Mrn.Of("MRN-KEY"), "Kay", "Ring", new DateOnly(1970, 1, 1), Sex.Female, _database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        // A key and anything else together may not be saved synchronously: the rest would escape the trail.
        await using (var db = _database.Open())
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-3", Xml = "<key/>" });
            db.Patients.Add(new Patient(Mrn.Of("MRN-KEY-2"), "Kay", "Ring", new DateOnly(1970, 1, 1), Sex.Female, _database.Clock.GetUtcNow()));
            Assert.Throws<NotSupportedException>(() => db.SaveChanges());
        }

        await using var check = _database.Open();
        Assert.Equal(["key-1", "key-2"], await check.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.FriendlyName!).ToListAsync());
        var trail = await check.AuditEntries.Select(e => new { e.Entity, Values = e.NewValues ?? "" }).ToListAsync();
        Assert.Equal(["Patient"], trail.Select(e => e.Entity));
        Assert.DoesNotContain(trail, e => e.Values.Contains("masterKey", StringComparison.Ordinal));
        Assert.True((await AuditChain.VerifyAsync(check)).Intact);
        SqliteConnection.ClearAllPools();
    }
}
