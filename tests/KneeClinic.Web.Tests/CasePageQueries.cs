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

    [Fact]
    public async Task TheCasePageReadsTheStaffAndThePublishedLanguagesOnceEach()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow, eligible: true);
        while (factory.Logs.Lines.TryDequeue(out _)) { }

        var page = await session.GetAsync($"/Cases/Details/{caseId}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var commands = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand")).ToList();
        // The names of the staff mentioned and the clinicians offered: one read of the accounts besides the sign-in check.
        Assert.Single(commands, c => c.Contains("\"AspNetUserRoles\""));
        Assert.Equal(2, commands.Count(c => c.Contains("\"AspNetUsers\"")));
        // The languages of the written form and of the short forms, and the case's consent forms: one read each.
        Assert.Equal(2, commands.Count(c => c.Contains("\"ConsentTemplateVersions\"")));
        Assert.DoesNotContain(commands, c => c.Contains("DISTINCT") && c.Contains("\"ConsentTemplateVersions\"") && c.Contains("ShortForm"));
        // Each statement is a page's read, not one per row: the whole page stays a dozen statements or so.
        Assert.True(commands.Count <= 14, string.Join(Environment.NewLine, commands));
    }
}
