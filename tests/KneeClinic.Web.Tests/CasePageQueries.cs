using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Tests;

/// <summary>
/// A case whose screening has grown long lists (here 40 medications and 40 imaging studies) still opens with each
/// list read on its own: one query over both would return every medication once for every study.
/// </summary>
public sealed class CasePageQueries(SqlLoggingClinicFactory factory) : IClassFixture<SqlLoggingClinicFactory>
{
    [Fact]
    public async Task TheCasePageReadsTheScreeningListsInSeparateQueries()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow, eligible: false);
        await factory.QueryAsync(async db =>
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
            for (var i = 0; i < 40; i++)
            {
                Assert.Null(c.AddMedication(new Medication($"Medicine {i:D2}", null, MedicationKind.Other, null, null)));
                c.AddImaging(new ImagingStudy(ImagingModality.XRay, today.AddDays(-i), $"Study {i:D2}", KlGrade.Of(2)), today);
            }
            return await db.SaveChangesAsync();
        });
        while (factory.Logs.Lines.TryDequeue(out _)) { }

        var page = await session.GetAsync($"/Cases/Screening/{caseId}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Medicine 39", page.Text);
        Assert.Contains("Study 39", page.Text);
        var commands = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand")).ToList();
        Assert.Contains(commands, c => c.Contains("ScreeningMedications"));
        Assert.Contains(commands, c => c.Contains("ScreeningImaging"));
        Assert.DoesNotContain(commands, c => c.Contains("ScreeningMedications") && c.Contains("ScreeningImaging"));
    }
}
