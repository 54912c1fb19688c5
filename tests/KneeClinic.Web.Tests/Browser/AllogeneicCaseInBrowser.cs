using KneeClinic.Core.Staff;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>An umbilical-cord case, received from a bank and thawed here, walked to its last follow-up in Chromium. A class of its own, on a server and clock of its own, so it runs beside the other browser tests.</summary>
public sealed class AllogeneicCaseInBrowser(BrowserClinicFactory factory, ITestOutputHelper output) : PathwayInBrowser(factory, output)
{
    [Fact]
    public async Task AnAllogeneicCaseGoesFromANewPatientThroughReceiptAndThawToItsLastFollowUpInTheBrowser()
    {
        var clinician = await ClinicianAsync();
        var verifier = await ClinicianAsync();
        await LogInAsync(clinician);
        var caseId = await ScreenedCaseAsync("UmbilicalCord", "Lucía");
        await ConsentAsync(clinician);

        // The donor product arrives from the cord bank; there is no harvest for this case.
        await AdvanceAsync(TimeSpan.FromMinutes(10), clinician);
        await NextStepAsync();
        Assert.Equal("Record the receipt of the donor product.", await TextAsync("#next-action"));
        Assert.Equal(0, await Page.Locator("#harvest-form").CountAsync());
        await SubmitOnCaseAsync("#receipt-form", ("Receipt.Supplier", "Example Cord Bank"), ("Receipt.Lot", "UC-LOT-2"),
            ("Receipt.Expiry", Today(60)), ("Receipt.DonorEligibilityReference", "DER-2026-0042"), ("Receipt.ReceivedAt", Local(Now.AddMinutes(-5))),
            ("Receipt.ReceivedById", clinician.Name), ("Receipt.Storage", "LN2 dewar 2"));
        Assert.Contains("Record the thaw and preparation", await TextAsync("#next-action"));
        Assert.Contains("Thaw and preparation", await TextAsync("#products thead"));

        await AdvanceAsync(TimeSpan.FromHours(1), clinician);
        await OpenCaseAsync(caseId);
        await ProcessAsync(verifier, Now.AddMinutes(-50));
        Assert.Contains("UC-LOT-2", await TextAsync("#products"));

        await InjectAsync(clinician, autologous: false);
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        Assert.Contains("2 weeks visit is due", await TextAsync($"tr[data-case='{caseId}'] .next-action"));

        await VisitAsync(clinician, caseId, "2 weeks", 6, 2);
        Assert.Equal("In follow-up", await TextAsync("#case-stage"));
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        Assert.Contains("6 weeks", await TextAsync($"tr[data-case='{caseId}'] .next-action"));

        foreach (var (label, pain) in Visits.Skip(1).Zip([5, 4, 3, 3]))
            await VisitAsync(clinician, caseId, label, pain, 1);
        Assert.Equal("Completed", await TextAsync("#case-stage"));
        var charts = await ChartsAsync();
        Assert.All(charts, c => Assert.Equal((c.Measure, c.Points > 0, c.Points), (c.Measure, c.Drawn, c.DrawnPoints)));
        Assert.Contains(charts, c => c.Drawn);

        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        Assert.Equal(0, await Page.Locator($"tr[data-case='{caseId}']").CountAsync());
        AssertTheBrowserStayedClean();
    }
}
