using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;

namespace KneeClinic.Core.Tests;

/// <summary>
/// An audited save costs in proportion to its rows. Asking the change tracker for its entries detects changes over every
/// tracked entity; done once per changed row (the owner of each owned part, the patient of each case's row) it made a
/// save of 6,000 rows take minutes. The number of full scans must not grow with the rows.
/// </summary>
public sealed class AuditedSaveScaling : IDisposable
{
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<int> FullScansSavingAsync(int patients)
    {
        await using (var setup = _database.Open())
        {
            if (await setup.Users.FindAsync("user-1") is null)
            {
                setup.Users.Add(new ClinicUser { Id = "user-1", UserName = "one@clinic.test", Email = "one@clinic.test", DisplayName = "One" });
                await setup.SaveChangesAsync();
            }
        }
        await using var db = _database.Open();
        var now = _database.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var i = 0; i < patients; i++)
        {
            var patient = new Patient(Mrn.Of($"SC-{patients}-{i}"), "Ana", "Ruiz", new DateOnly(1960, 1, 1), Sex.Female, now);
            var @case = new Case(patient.Id, KneeSide.Left, CellSource.BoneMarrow, KlGrade.Of(2), "user-1", now);
            Assert.Null(@case.RecordCheckup(today, "Knee pain for years.", null, 5, [], today));
            Assert.Null(@case.AddImaging(new ImagingStudy(ImagingModality.XRay, today.AddDays(-3), "Narrowing.", KlGrade.Of(2)), today));
            Assert.Null(@case.RecordBaselineKoos(new KoosAnswers([.. Enumerable.Repeat<int?>(2, KoosAnswers.ItemCount)])));
            db.AddRange(patient, @case);
        }
        var scans = 0;
        db.ChangeTracker.DetectingAllChanges += (_, _) => scans++;
        await db.SaveChangesAsync();
        Assert.Equal(patients, db.AuditEntries.Local.Count(e => e.Entity == nameof(Patient)));
        return scans;
    }

    [Fact]
    public async Task DetectsChangesAFixedNumberOfTimesHoweverManyRowsAreSaved()
    {
        var few = await FullScansSavingAsync(5);
        var many = await FullScansSavingAsync(200);

        Assert.Equal(few, many);
        Assert.InRange(many, 1, 12);
    }
}
