using System.Net;
using AngleSharp.Dom;
using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The outcome report over the demo cases, whose figures are worked by hand: Gustavo (cord) injected ten weeks ago,
/// Hana (marrow) seven and a half months ago with her 6-month visit missed, Ivan (adipose) a year ago with every visit.
/// </summary>
public sealed class OutcomeReportPage
{
    private static string[] Row(IElement section, string table, string header) =>
    [
        .. section.QuerySelectorAll($"table[data-table='{table}'] tbody tr")
            .Single(r => r.Children[0].TextContent.Trim() == header).Children.Skip(1).Select(c => c.TextContent.Trim()),
    ];

    private static string[] Responders(IElement section, string measure, string visit) =>
    [
        .. section.QuerySelectorAll("table[data-table='responders'] tbody tr")
            .Single(r => r.Children[0].TextContent.Trim() == measure && r.Children[1].TextContent.Trim() == visit)
            .Children.Skip(2).Select(c => c.TextContent.Trim()),
    ];

    [Fact]
    public async Task TheDemoCasesGiveTheFiguresWorkedByHandAndAChangeShowsAtOnce()
    {
        await using var clinic = new ClinicFactory();
        await DemoData.SeedAsync(clinic.Services, TextWriter.Null);
        var session = await clinic.SignedInAsync(Roles.Administrator);

        var page = await session.GetAsync("/Outcomes");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("cannot show that the injection caused it",
            string.Join(' ', page.Document.QuerySelector("#what-it-shows")!.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));

        var all = page.Document.QuerySelector("#outcomes-all")!;
        Assert.Equal("3", all.QuerySelector("[data-cases-injected]")!.TextContent);
        Assert.Equal(["1", "1", "1"], Row(all, "reach", "6 months"));   // Ivan recorded, Hana missing, Gustavo not due
        Assert.Equal(["1", "0", "2"], Row(all, "reach", "12 months"));

        // Ivan: pain 7 → 2 and KOOS Pain 50 → 75; Hana missed. 1 of 1 measured, 1 of 2 if Hana did not improve.
        var pain6 = Responders(all, OutcomeReport.PainMeasure, "6 months");
        Assert.StartsWith("1 of 1: 100%", pain6[0]);
        Assert.Contains("21% to 100%", pain6[0]);                       // Wilson 1 of 1: 0.2065 to 1
        Assert.StartsWith("1 of 2: 50%", pain6[1]);
        Assert.Contains("9% to 91%", pain6[1]);                         // Wilson 1 of 2: 0.0945 to 0.9055
        Assert.Equal("1", pain6[2]);
        Assert.StartsWith("1 of 1: 100%", Responders(all, OutcomeReport.KoosPainMeasure, "12 months")[0]);

        // Gustavo's flare-up and Hana's infection, which needed a hospital stay.
        Assert.Equal(("2", "1"), (all.QuerySelector("[data-adverse-events]")!.TextContent, all.QuerySelector("[data-serious-events]")!.TextContent));
        Assert.Equal(["1"], Row(all, "events-by-category", "Infection"));
        Assert.Equal(["1"], Row(all, "events-by-grade", "3"));

        var cord = page.Document.QuerySelector("#outcomes-umbilicalcord")!;
        Assert.Equal("1", cord.QuerySelector("[data-cases-injected]")!.TextContent);
        Assert.StartsWith("0 of 0: none due", Responders(cord, OutcomeReport.PainMeasure, "6 months")[0]);

        // A new event saved on another context: the next report counts it, although the figures are kept between requests.
        await clinic.QueryAsync(async db =>
        {
            var ivan = await db.Cases.Include(c => c.AdverseEvents).SingleAsync(c => c.CellSource == CellSource.Adipose && c.Injection != null);
            var clock = clinic.Services.GetRequiredService<KneeClinic.Core.ClinicClock>();
            Assert.Null(ivan.ReportAdverseEvent(new AdverseEventDetails(clock.Today, AdverseEventCategory.PainSwelling, 1, SeriousCriteria.None,
                Relatedness.Possible, "Ache after a long walk.", null, AdverseEventOutcome.Ongoing, null), "demo", clock));
            return await db.SaveChangesAsync();
        });
        var adipose = (await session.GetAsync("/Outcomes")).Document.QuerySelector("#outcomes-adipose")!;
        Assert.Equal("1", adipose.QuerySelector("[data-adverse-events]")!.TextContent);

        // Each view of the report is in the audit trail, under the reader, with no patient.
        var views = await clinic.QueryAsync(db => db.AuditEntries.Where(e => e.Entity == "OutcomeReport").ToListAsync());
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.Equal((KneeClinic.Core.Audit.AuditAction.Viewed, (Guid?)null), (v.Action, v.PatientId)));
        Assert.All(views, v => Assert.NotNull(v.UserId));
    }

    [Fact]
    public async Task CliniciansReadItTooAndTheEmptyClinicSaysSo()
    {
        await using var clinic = new ClinicFactory();
        var session = await clinic.SignedInAsync(Roles.Clinician);
        var page = await session.GetAsync("/Outcomes");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("0", page.Document.QuerySelector("#outcomes-all [data-cases-injected]")!.TextContent);
        Assert.Contains("No case of this kind has reached the injection yet.", page.Document.QuerySelector("#outcomes-all")!.TextContent);
    }
}
