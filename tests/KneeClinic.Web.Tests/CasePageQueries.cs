using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
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
    public async Task TheCasePageReadsTheStaffAndThePublishedLanguagesOnceAndAgainOnlyAfterAChange()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow, eligible: true);
        while (factory.Logs.Lines.TryDequeue(out _)) { }

        var page = await session.GetAsync($"/Cases/Details/{caseId}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var commands = PagingSql.PageCommands(factory);
        // The staff (names of those mentioned, clinicians offered): one read of the accounts with their roles.
        Assert.Single(commands, c => c.Contains("\"AspNetUserRoles\""));
        // The languages of the written form and of the short forms, and the case's consent forms: one read each.
        Assert.Equal(2, commands.Count(c => c.Contains("\"ConsentTemplateVersions\"")));
        // Each statement is a page's read, not one per row: the whole page stays a dozen statements or so.
        Assert.True(commands.Count <= 13, string.Join(Environment.NewLine, commands));

        // Nothing changed since: the staff and the published forms are not read again.
        PagingSql.Clear(factory);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/Cases/Details/{caseId}")).Status);
        var again = PagingSql.PageCommands(factory);
        Assert.DoesNotContain(again, c => c.Contains("\"AspNetUsers\""));
        Assert.Single(again, c => c.Contains("\"ConsentTemplateVersions\""));
        Assert.Equal(commands.Count - 2, again.Count);

        // An administrator renames the case's clinician: the next view of the case reads the staff again and shows it.
        var clinicianId = await factory.QueryAsync(async db => (await db.Cases.SingleAsync(c => c.Id == caseId)).AssignedClinicianId);
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var saved = await admin.SubmitAsync(await admin.GetAsync($"/Staff/Edit/{clinicianId}"), "form[action^='/Staff/Edit']",
            WebSession.Fields(("DisplayName", "Dr Renamed Since")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        PagingSql.Clear(factory);
        var renamed = await session.GetAsync($"/Cases/Details/{caseId}");
        Assert.Contains("clinician Dr Renamed Since", renamed.Document.QuerySelector("main")!.TextContent);
        Assert.Single(PagingSql.PageCommands(factory), c => c.Contains("\"AspNetUserRoles\""));
    }
}
