using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>An administrator reads and verifies the audit trail in Chromium. A class of its own, on a server and clock of its own, so it runs beside the other browser tests.</summary>
public sealed class AuditTrailInBrowser(BrowserClinicFactory factory, ITestOutputHelper output) : PathwayInBrowser(factory, output)
{
    [Fact]
    public async Task AnAdministratorFiltersTheAuditTrailAndVerifiesTheChainInTheBrowser()
    {
        var clinician = await ClinicianAsync();
        await LogInAsync(clinician);
        await ClickAndWaitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }));

        var administrator = $"administrator-{Guid.NewGuid():N}@clinic.test";
        await Factory.CreateUserAsync(administrator, Roles.Administrator);
        var login = Page.Locator("form[action^='/Account/Login']");
        await login.GetByLabel("Email").FillAsync(administrator);
        await login.GetByLabel("Password").FillAsync(ClinicFactory.Password);
        await ClickAndWaitAsync(login.GetByRole(AriaRole.Button, new() { Name = "Log in" }));
        await ClickAndWaitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Audit trail" }));

        await Page.SelectOptionAsync("#Operation", "SignedOut");
        await ClickAndWaitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }));
        Assert.EndsWith("/Audit", Page.Url);
        var rows = Page.Locator("#audit-entries tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains(clinician.Email, await rows.First.InnerTextAsync());
        await Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "audit-trail.png"), FullPage = true });

        await ClickAndWaitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }));
        Assert.Contains("The chain is intact", await Page.Locator("#chain-result").InnerTextAsync());
        AssertTheBrowserStayedClean();
    }

    [Fact]
    public async Task AFullPageOfEntriesFitsALaptopScreenAndStaysShort()
    {
        // Sixty patients registered in one save: sixty entries of a dozen fields each, with long names and values.
        await Factory.QueryAsync(async db =>
        {
            for (var i = 0; i < 60; i++)
                db.Add(new Patient(Mrn.Of($"W-{Guid.NewGuid():N}"[..20]), $"Maximiliana-Wilhelmina-{i}", $"Oyelaran-Featherstonehaugh-{Guid.NewGuid():N}",
                    new DateOnly(1950, 1, 1).AddDays(i), Sex.Female, Now));
            return await db.SaveChangesAsync();
        });
        var administrator = $"administrator-with-a-long-address-{Guid.NewGuid():N}@clinic.test";
        await Factory.CreateUserAsync(administrator, Roles.Administrator);
        await Page.SetViewportSizeAsync(1280, 800);
        await GoAsync("/Account/Login");
        var login = Page.Locator("form[action^='/Account/Login']");
        await login.GetByLabel("Email").FillAsync(administrator);
        await login.GetByLabel("Password").FillAsync(ClinicFactory.Password);
        await ClickAndWaitAsync(login.GetByRole(AriaRole.Button, new() { Name = "Log in" }));

        await GoAsync("/Audit");
        Assert.Equal(50, await Page.Locator("#audit-entries tbody tr").CountAsync());
        var width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        var height = await Page.EvaluateAsync<int>("document.documentElement.scrollHeight");
        Output.WriteLine($"50 entries, folded: {width} x {height} px");
        await Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "audit-trail-1280.png"), FullPage = true });
        Assert.True(width <= 1280, $"the page is {width} px wide");
        Assert.True(height < 4000, $"the page is {height} px tall");
        Assert.False(await Page.Locator("#audit-entries li").First.IsVisibleAsync());

        // Opened, the values wrap rather than widen the page.
        await Page.Locator("#audit-entries summary").First.ClickAsync();
        Assert.True(await Page.Locator("#audit-entries li").First.IsVisibleAsync());
        await Page.EvaluateAsync("document.querySelectorAll('#audit-entries details').forEach(d => d.open = true)");
        var opened = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(opened <= 1280, $"with every entry opened the page is {opened} px wide");
        AssertTheBrowserStayedClean();
    }
}
