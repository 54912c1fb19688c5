using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Core.Tests;

/// <summary>The case file is saved and loaded as one, on a real SQLite file, with its value objects stored as text.</summary>
public sealed class CaseFilePersistence : IDisposable
{
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AnInjectedCaseIsSavedWithEveryRecordItAddedAndLoadsBackWhole()
    {
        var p = new PathwayCase().Released();
        Assert.Null(p.Inject());
        var code = p.Product!.ProductCode;
        var number = p.Documents[0].DocumentNumber;

        await using (var db = _database.Open())
        {
            var user = new ClinicUser { Id = CaseBuilder.Clinician, UserName = "c@clinic.test", Email = "c@clinic.test", DisplayName = "Dr C" };
            var patient = new Patient(Mrn.Of("MRN-7"), "Ana", "Ruiz", new DateOnly(1960, 1, 1), Sex.Female, CaseBuilder.Now);
            typeof(Case).GetProperty(nameof(Case.PatientId))!.SetValue(p.Case, patient.Id);
            db.AddRange(user, patient, p.Template, p.Case);
            await db.SaveChangesAsync();
        }

        await using (var db = _database.Open())
        {
            var loaded = await db.Cases.Include(c => c.ConsentDocuments).Include(c => c.Products).Include(c => c.Injection)
                .Include(c => c.Visits).Include(c => c.AdverseEvents).AsSplitQuery().SingleAsync(c => c.Id == p.Case.Id);
            Assert.Equal(CaseStage.Injected, loaded.Stage);
            Assert.Equal(code, loaded.CurrentProduct!.ProductCode);
            Assert.Equal(code, loaded.Injection!.ProductCodeChecked);
            Assert.Equal(5, loaded.Visits.Count);
            Assert.Equal(number, Assert.Single(loaded.ConsentDocuments).DocumentNumber);

            // Found by the number typed from the paper, however it was typed.
            var typed = DocumentNumber.Read("  " + number.Value.ToLowerInvariant() + " ");
            Assert.True(await db.ConsentDocuments.AnyAsync(d => d.DocumentNumber == typed));

            // Stored and audited as the text on the label.
            Assert.Equal(code.Value, await db.Database.SqlQuery<string>($"SELECT ProductCode AS Value FROM CellProducts").SingleAsync());
            var created = await db.AuditEntries.SingleAsync(e => e.Entity == nameof(CellProduct) && e.Action == Audit.AuditAction.Created);
            Assert.Contains($"\"ProductCode\":\"{code.Value}\"", created.NewValues);
        }
    }

    [Fact]
    public async Task TheDatabaseCountsOpenCasesByTheSameRuleAsTheCase()
    {
        var open = new CaseBuilder().Build();
        var closed = new CaseBuilder().Build();
        Assert.Null(closed.Close("moved away", CaseBuilder.Now));
        Assert.True(open.IsOpen);
        Assert.False(closed.IsOpen);

        await using var db = _database.Open();
        var user = new ClinicUser { Id = CaseBuilder.Clinician, UserName = "c@clinic.test", Email = "c@clinic.test", DisplayName = "Dr C" };
        var patient = new Patient(Mrn.Of("MRN-8"), "Ana", "Ruiz", new DateOnly(1960, 1, 1), Sex.Female, CaseBuilder.Now);
        foreach (var c in new[] { open, closed }) typeof(Case).GetProperty(nameof(Case.PatientId))!.SetValue(c, patient.Id);
        db.AddRange(user, patient, open, closed);
        await db.SaveChangesAsync();

        Assert.Equal(1, await db.Patients.Select(p => db.Cases.Where(Case.Open).Count(c => c.PatientId == p.Id)).SingleAsync());
    }

    [Fact]
    public void ProductCodesAreReadAsPrintedAndMaskedForDisplay()
    {
        var code = ProductCode.New();
        Assert.Matches("^CP-[0-9A-Z]{10}$", code.Value);
        Assert.True(code.Matches(" " + code.Value.ToLowerInvariant() + "\t"));
        Assert.False(code.Matches(ProductCode.New().Value));
        Assert.Equal(code.Value[^4..], code.Masked[^4..]);
        Assert.DoesNotContain(code.Value[3..9], code.Masked);
        Assert.Equal("", default(ProductCode).Value);
    }

    [Fact]
    public void DocumentNumbersCarryTheYearAndNothingAboutThePatient()
    {
        var number = DocumentNumber.New(CaseBuilder.Now);
        Assert.Matches("^KC-2026-[0-9A-Z]{8}$", number.Value);
        Assert.Equal(number, DocumentNumber.Read(number.Value.ToLowerInvariant()));
    }
}
