using KneeClinic.Web.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>
/// The first run as a newcomer sees it: the demo data puts cases at every stage (screening to a completed year, with
/// visits in the past, charts, adverse events and an overdue visit), and the main pages are photographed for the
/// README's tour. The pictures go to a temporary folder; with KNEECLINIC_SCREENSHOTS=1 they replace those in docs/.
/// </summary>
public sealed class TourInBrowser(BrowserClinicFactory factory, ITestOutputHelper output) : PathwayInBrowser(factory, output)
{
    private readonly string pictures = Directory.CreateTempSubdirectory("kneeclinic-tour-").FullName;

    private async Task PhotographAsync(string name)
    {
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(pictures, name + ".png"), FullPage = false });
    }

    private async Task SignInAsync(string email)
    {
        await GoAsync("/Account/Login");
        var form = Page.Locator("form[action^='/Account/Login']");
        await form.GetByLabel("Email").FillAsync(email);
        await form.GetByLabel("Password").FillAsync(DemoData.Password);
        await ClickAndWaitAsync(form.GetByRole(AriaRole.Button, new() { Name = "Log in" }));
    }

    [Fact]
    public async Task TheDemoDataShowsEveryStageAndTheMainPagesArePhotographed()
    {
        await DemoData.SeedAsync(Factory.Services, TextWriter.Null);
        await Page.SetViewportSizeAsync(1280, 800);
        await SignInAsync(DemoData.ClinicianEmail);
        Assert.EndsWith("/Dashboard", Page.Url);

        foreach (var stage in new[] { "Screening", "Eligible", "Consented", "ProductReleased", "FollowUp" })
            Assert.Equal(1, await Page.Locator($"h3[data-stage='{stage}']").CountAsync());
        Assert.Contains("Demo-Novak", await TextAsync("#overdue"));
        Assert.Contains("6 months", await TextAsync("#overdue"));
        var events = await TextAsync("#open-adverse-events");
        Assert.Contains("Infection, grade 3, serious", events);
        Assert.Contains("report by", events);
        Assert.Contains("Demo-Kowalski", await TextAsync("#awaiting-signature"));
        await PhotographAsync("dashboard");

        // A case in follow-up: the overview, then its visits with the outcome charts drawn from visits in the past.
        await ClickAndWaitAsync(Page.Locator("tr[data-case]").GetByRole(AriaRole.Link, new() { Name = "Demo-Silva, Gustavo" }));
        Assert.Equal("In follow-up", await TextAsync("#case-stage"));
        await PhotographAsync("case-overview");
        await GoAsync(Page.Url.Replace("/Cases/Details/", "/Cases/FollowUp/"));
        var charts = await ChartsAsync();
        Assert.NotEmpty(charts);
        Assert.All(charts, c => Assert.True(c.Drawn && c.DrawnPoints >= 3, $"{c.Measure}: {c.DrawnPoints} points"));
        await Page.Locator("canvas.outcome-chart").First.ScrollIntoViewIfNeededAsync();
        await PhotographAsync("follow-up");

        // The released product waits for the time-out; the label is ready to print.
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        await ClickAndWaitAsync(Page.Locator("tr[data-case]").GetByRole(AriaRole.Link, new() { Name = "Demo-Haddad, Fatima" }));
        Assert.Equal("Product released", await TextAsync("#case-stage"));
        await NextStepAsync();
        Assert.Contains("/Cases/TimeOut/", Page.Url);
        await PhotographAsync("time-out");

        // The serious event with its reporting date.
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        await ClickAndWaitAsync(Page.Locator("#open-adverse-events").GetByRole(AriaRole.Link, new() { Name = "Demo-Novak, Hana" }));
        await GoAsync(Page.Url.Split('#')[0].Replace("/Cases/Details/", "/Cases/AdverseEvents/"));
        Assert.Contains("Report by", await TextAsync("#adverse-event-list"));
        await PhotographAsync("adverse-events");

        // The completed year is found through the patient search.
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Patients" }));
        await FillAndSubmitAsync("#patient-search", ("Name", "petrov"));
        await ClickAndWaitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Demo-Petrov, Ivan" }));
        Assert.Contains("Completed", await TextAsync("main"));

        // The administrator's side: consent records and the audit trail.
        await ClickAndWaitAsync(Page.Locator("form[action='/Account/Logout'] button"));
        await SignInAsync(DemoData.AdminEmail);
        await GoAsync("/ConsentRecords");
        Assert.Contains("Demo-Nakamura", await TextAsync("main"));
        await PhotographAsync("consent-records");
        await GoAsync("/Audit");
        await PhotographAsync("audit-trail");

        // The outcome report: every group's responder rates drawn, one row per measure, visit and way of counting.
        await ClickAndWaitAsync(Page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Outcomes" }));
        var rateCharts = await Page.EvaluateAsync<int[]>(
            "() => [...document.querySelectorAll('canvas.outcome-rates')].map(c => c.chart ? c.chart.data.labels.length : -1)");
        Assert.Equal([8, 8, 8, 8], rateCharts);
        await PhotographAsync("outcomes");
        AssertTheBrowserStayedClean();

        if (Environment.GetEnvironmentVariable("KNEECLINIC_SCREENSHOTS") == "1")
        {
            var docs = Path.Combine(FirstRun.RepositoryRoot(), "docs", "screenshots");
            Directory.CreateDirectory(docs);
            foreach (var picture in Directory.GetFiles(pictures, "*.png"))
                File.Copy(picture, Path.Combine(docs, Path.GetFileName(picture)), overwrite: true);
            Output.WriteLine($"Screenshots written to {docs}");
        }
        Directory.Delete(pictures, recursive: true);
    }
}
