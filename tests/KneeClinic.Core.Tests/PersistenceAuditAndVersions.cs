using System.Text.Json;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Core.Tests;

public sealed class PersistenceAuditAndVersions : IDisposable
{
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<(Guid PatientId, Guid CaseId)> SeedAsync()
    {
        await using var db = _database.Open();
        var user = new ClinicUser { Id = "clinician-1", UserName = "c@clinic.test", Email = "c@clinic.test", DisplayName = "Dr C" };
        db.Users.Add(user);
        var patient = new Patient(Mrn.Of("MRN-1"), "Zoë", "Müller-Øvergård", new DateOnly(1970, 5, 1), Sex.Female, _database.Clock.GetUtcNow());
        db.Patients.Add(patient);
        var c = new CaseBuilder().Build();
        typeof(Case).GetProperty(nameof(Case.PatientId))!.SetValue(c, patient.Id);
        typeof(Case).GetProperty(nameof(Case.AssignedClinicianId))!.SetValue(c, user.Id);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        return (patient.Id, c.Id);
    }

    [Fact]
    public async Task CreatingARowWritesACreatedEntryWithItsValuesAndTheActor()
    {
        var (patientId, _) = await SeedAsync();

        await using var db = _database.Open();
        var entry = await db.AuditEntries.SingleAsync(e => e.Entity == nameof(Patient) && e.EntityId == patientId.ToString());
        Assert.Equal(AuditAction.Created, entry.Action);
        Assert.Equal("user-1", entry.UserId);
        Assert.Equal(_database.Clock.GetUtcNow(), entry.At);
        Assert.Null(entry.OldValues);
        var values = JsonDocument.Parse(entry.NewValues!).RootElement;
        Assert.Equal("Zoë", values.GetProperty("GivenName").GetString());
        Assert.Equal("Female", values.GetProperty("Sex").GetString());
        Assert.False(values.TryGetProperty("Version", out _));
    }

    [Fact]
    public async Task UpdatingWritesOnlyTheChangedValuesBeforeAndAfter()
    {
        var (patientId, _) = await SeedAsync();

        await using (var db = _database.Open())
        {
            var p = await db.Patients.SingleAsync(x => x.Id == patientId);
            p.Update(p.GivenName, "Renamed", p.DateOfBirth, p.Sex, "555-0100", null, null);
            await db.SaveChangesAsync();
        }

        await using var check = _database.Open();
        var entry = await check.AuditEntries.SingleAsync(e => e.EntityId == patientId.ToString() && e.Action == AuditAction.Updated);
        Assert.Equal("""{"FamilyName":"Müller-Øvergård","Phone":null}""", entry.OldValues);
        Assert.Equal("""{"FamilyName":"Renamed","Phone":"555-0100"}""", entry.NewValues);
    }

    [Fact]
    public async Task SecretsNeverReachTheAuditTrail()
    {
        await using var db = _database.Open();
        db.Users.Add(new ClinicUser { UserName = "s@clinic.test", PasswordHash = "HASH-SECRET", SecurityStamp = "STAMP-SECRET" });
        await db.SaveChangesAsync();

        var entry = await db.AuditEntries.SingleAsync(e => e.Entity == nameof(ClinicUser));
        Assert.DoesNotContain("HASH-SECRET", entry.NewValues);
        Assert.DoesNotContain("STAMP-SECRET", entry.NewValues);
        Assert.Contains("[redacted]", entry.NewValues);
    }

    [Fact]
    public async Task ScreeningChangesAreSavedWithTheCaseAndAuditedPerRow()
    {
        var (_, caseId) = await SeedAsync();

        await using (var db = _database.Open())
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            Assert.Null(c.AddMedication(new Medication("Apixaban", "5 mg", MedicationKind.Anticoagulant, CaseBuilder.Today, null)));
            Assert.Null(c.DecideEligibility(EligibilityOutcome.EligibleWithOverride, "Paused 3 days before with the haematologist.",
                "clinician-1", CaseBuilder.Now));
            await db.SaveChangesAsync();
        }

        await using var check = _database.Open();
        var saved = await check.Cases.SingleAsync(x => x.Id == caseId);
        Assert.Equal(CaseStage.Eligible, saved.Stage);
        Assert.Equal([Contraindication.AnticoagulantTherapy], saved.Screening.OverriddenContraindications);
        Assert.Equal("Apixaban", Assert.Single(saved.Screening.Medications).Name);
        Assert.Single(saved.Screening.Imaging);
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Entity.Contains(nameof(Medication)) && e.Action == AuditAction.Created));
        Assert.True(await check.AuditEntries.AnyAsync(e => e.Entity == nameof(Case) && e.Action == AuditAction.Updated
            && e.NewValues!.Contains("\"Stage\":\"Eligible\"")));
    }

    [Fact]
    public async Task AChangeOnlyToAnOwnedPartStillRenewsTheCaseVersion()
    {
        var (_, caseId) = await SeedAsync();
        Guid before;
        await using (var db = _database.Open())
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            before = c.Version;
            c.AddImaging(new ImagingStudy(ImagingModality.Mri, CaseBuilder.Today, "effusion", null), CaseBuilder.Today);
            await db.SaveChangesAsync();
        }

        await using var check = _database.Open();
        Assert.NotEqual(before, (await check.Cases.SingleAsync(x => x.Id == caseId)).Version);
    }

    [Fact]
    public async Task TheSecondOfTwoConcurrentEditsIsRejectedAndTheFirstKept()
    {
        var (_, caseId) = await SeedAsync();
        await using var first = _database.Open();
        await using var second = _database.Open();
        var a = await first.Cases.SingleAsync(x => x.Id == caseId);
        var b = await second.Cases.SingleAsync(x => x.Id == caseId);

        a.AddMedication(new Medication("Paracetamol", null, MedicationKind.Other, null, null));
        await first.SaveChangesAsync();
        b.AddMedication(new Medication("Naproxen", null, MedicationKind.Nsaid, null, null));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = _database.Open();
        Assert.Equal("Paracetamol", Assert.Single((await check.Cases.SingleAsync(x => x.Id == caseId)).Screening.Medications).Name);
    }
}
