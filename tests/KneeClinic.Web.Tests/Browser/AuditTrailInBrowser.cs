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
}
