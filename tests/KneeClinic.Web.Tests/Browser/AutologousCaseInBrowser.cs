using KneeClinic.Core.Staff;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>A bone-marrow case, harvested and processed here, walked to its last follow-up in Chromium. A class of its own, on a server and clock of its own, so it runs beside the other browser tests.</summary>
public sealed class AutologousCaseInBrowser(BrowserClinicFactory factory, ITestOutputHelper output) : PathwayInBrowser(factory, output)
{
    [Fact]
    public async Task AnAutologousCaseGoesFromANewPatientToItsLastFollowUpInTheBrowser()
    {
        var clinician = await ClinicianAsync();
        var verifier = await ClinicianAsync();
        await LogInAsync(clinician);
        var caseId = await ScreenedCaseAsync("BoneMarrow", "Inés");
        await ConsentAsync(clinician);

        // Harvest, after the signature.
        await AdvanceAsync(TimeSpan.FromHours(1), clinician);
        await OpenCaseAsync(caseId);
        Assert.Equal("Record the harvest.", await TextAsync("#next-action"));
        Assert.Equal(0, await Page.Locator("#receipt-form").CountAsync());
        var harvestStart = Now.AddMinutes(-50);
        await SubmitOnCaseAsync("#harvest-form", ("Harvest.StartedAt", Local(harvestStart)), ("Harvest.EndedAt", Local(harvestStart.AddMinutes(35))),
            ("Harvest.Site", "Right posterior iliac crest"), ("Harvest.VolumeMl", "60"), ("Harvest.Anaesthesia", "Local, lidocaine 1%"),
            ("Harvest.AnticoagulantLot", "ACD-4411"), ("Harvest.AnticoagulantExpiry", Today(180)), ("Harvest.OperatorId", clinician.Name));
        Assert.Equal("Product obtained", await TextAsync("#case-stage"));

        // Processing an hour later: the operator is not offered as their own verifier.
        await AdvanceAsync(TimeSpan.FromHours(1), clinician);
        await OpenCaseAsync(caseId);
        var verifiers = await Page.Locator("#processing-form select[name='Processing.VerifierId'] option").AllInnerTextsAsync();
        Assert.DoesNotContain(clinician.Name, verifiers);
        Assert.Contains(verifier.Name, verifiers);
        await ProcessAsync(verifier, harvestStart.AddMinutes(45));

        await InjectAsync(clinician, autologous: true);
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        Assert.Contains("2 weeks visit is due", await TextAsync($"tr[data-case='{caseId}'] .next-action"));

        // The follow-up year: pain falls from 7 to 2, KOOS rises from 50 (all 2s) to 75 (all 1s).
        foreach (var (label, pain) in Visits.Zip([6, 5, 4, 3, 2]))
            await VisitAsync(clinician, caseId, label, pain, label == "2 weeks" ? 2 : 1);
        Assert.Equal("Completed", await TextAsync("#case-stage"));

        // Every chart with measurements is a Chart.js chart with those points; the pain chart has baseline and five visits.
        var charts = await ChartsAsync();
        Assert.Contains(charts, c => c.Measure == "Knee pain (NRS 0-10)" && c.Points == 6);
        Assert.All(charts, c => Assert.Equal((c.Measure, c.Points > 0, c.Points), (c.Measure, c.Drawn, c.DrawnPoints)));
        Assert.True(charts.Count(c => c.Drawn) >= 6, string.Join(", ", charts.Select(c => $"{c.Measure}: {c.Points}")));
        Assert.Contains("a noticeable improvement", await TextAsync("#outcomes figure[data-measure='KOOS pain']"));

        // Completed cases leave the dashboard.
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        Assert.Equal(0, await Page.Locator($"tr[data-case='{caseId}']").CountAsync());
        AssertTheBrowserStayedClean();
    }
}
