using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CsvHelper;
using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Research;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Research;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The de-identified research file over the demo cases, with identifiers planted in every kind of free text the app
/// keeps (patient notes, visit notes, an adverse event's description and action): none of them, and no identifier of
/// any patient, may reach the file; the key file maps back only with a reason, and every download is audited.
/// </summary>
public sealed partial class ResearchFileExport
{
    private const string Planted = "Hana Demo-Novak DEMO-0008 phone 555-0142 seen 2026-03-10 born 03/03/1955";

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|555-")]
    private static partial Regex DateOrPhone();

    private static List<T> Read<T>(string text)
    {
        using var csv = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
        return [.. csv.GetRecords<T>()];
    }

    [Fact]
    public async Task TheFileHoldsNoIdentifierAndOnlyTheAuditedKeyFileMapsItBack()
    {
        await using var clinic = new ClinicFactory();
        await DemoData.SeedAsync(clinic.Services, TextWriter.Null);
        var clock = clinic.Services.GetRequiredService<ClinicClock>();
        await clinic.QueryAsync(async db =>
        {
            foreach (var patient in await db.Patients.ToListAsync())
                patient.Update(patient.GivenName, patient.FamilyName, patient.DateOfBirth, patient.Sex, "+1 555-0142", "hana@example.test", Planted);
            var hana = await db.Cases.Include(c => c.AdverseEvents).Include(c => c.Visits).Include(c => c.Injection)
                .SingleAsync(c => c.CellSource == CellSource.BoneMarrow && c.Injection != null);
            Assert.Null(hana.ReportAdverseEvent(new AdverseEventDetails(clock.Today, AdverseEventCategory.Other, 1, SeriousCriteria.None,
                Relatedness.Unlikely, Planted, Planted, AdverseEventOutcome.Ongoing, null), "demo", clock));
            return await db.SaveChangesAsync();
        });
        var identifiers = await clinic.QueryAsync(db => db.Patients.Select(p => new { p.FamilyName, p.GivenName, Mrn = p.Mrn.ToString() }).ToListAsync());

        var admin = await clinic.SignedInAsync(Roles.Administrator);
        var page = await admin.GetAsync("/Research");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var file = await admin.SubmitAsync(page, "#research-export");
        Assert.Equal(HttpStatusCode.OK, file.Status);
        Assert.Equal("text/csv", file.Response.Content.Headers.ContentType!.MediaType);

        foreach (var id in identifiers)
        {
            Assert.DoesNotContain(id.FamilyName, file.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id.GivenName, file.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id.Mrn, file.Text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("example.test", file.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(DateOrPhone(), file.Text);

        // Gustavo (2 visits recorded of 5), Hana (3 recorded, 6 months missed) and Ivan (all 5): a screening row and
        // five visit rows each, under three study codes.
        var rows = Read<DeidentifiedRow>(file.Text);
        Assert.Equal(3 * 6, rows.Count);
        Assert.Equal(3, rows.Select(r => r.StudyId).Distinct().Count());
        Assert.All(rows.Where(r => r.Visit == DeidentifiedRows.Screening), r => Assert.True(r.DayFromInjection < 0));
        var ivan = rows.Where(r => r.CellSource == nameof(CellSource.Adipose)).ToList();
        Assert.Equal([7, 5, 4, 3, 2, 2], ivan.Select(r => r.PainNrs));
        var hana = rows.Where(r => r.CellSource == nameof(CellSource.BoneMarrow)).ToList();
        Assert.Equal(4, hana.Count(r => r.VisitStatus == nameof(VisitStatus.Completed)));   // screening and three visits
        Assert.Equal(1, hana[^1].SeriousAdverseEventsSoFar);                                 // the infection, by the 12-month row

        // Codes stay: a second file has the same ones, and none were assigned the second time.
        var again = Read<DeidentifiedRow>((await admin.SubmitAsync(await admin.GetAsync("/Research"), "#research-export")).Text);
        Assert.Equal(rows.Select(r => r.StudyId).ToHashSet(), again.Select(r => r.StudyId).ToHashSet());
        Assert.Equal(3, await clinic.QueryAsync(db => db.StudyCodes.CountAsync()));

        // The key file needs a reason: without one, the page again with the message and no file.
        var refused = await admin.SubmitAsync(await admin.GetAsync("/Research"), "#research-key", Fields(("Reason", "  ")));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(refused.Errors, e => e.Contains("Say why", StringComparison.Ordinal));
        Assert.DoesNotContain("DEMO-0008", refused.Text, StringComparison.Ordinal);

        const string reason = "Ethics board request 2026-114: check two outliers.";
        var key = await admin.SubmitAsync(await admin.GetAsync("/Research"), "#research-key", Fields(("Reason", reason)));
        var keys = Read<StudyKey>(key.Text);
        var hanaCode = Assert.Single(keys, k => k.Mrn == "DEMO-0008").StudyCode;
        Assert.Contains(rows, r => r.StudyId == hanaCode && r.CellSource == nameof(CellSource.BoneMarrow));

        // Each download is in the trail; the key file with its reason. The codes' own rows are not in the trail.
        var exports = await clinic.QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditAction.Exported).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(["ResearchFile", "ResearchFile", "ResearchKeyFile"], exports.Select(e => e.Entity));
        Assert.Contains(reason, exports[^1].NewValues!, StringComparison.Ordinal);
        Assert.Equal(0, await clinic.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Entity == nameof(StudyCode))));
        var trail = await clinic.QueryAsync(db => db.AuditEntries.Select(e => e.NewValues ?? "").ToListAsync());
        Assert.DoesNotContain(trail, values => values.Contains(hanaCode, StringComparison.Ordinal));
    }
}
