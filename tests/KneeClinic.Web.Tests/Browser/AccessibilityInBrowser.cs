using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>
/// Every main page of the clinic, checked in Chromium with axe-core at desktop width and on a 390 px phone: no serious or
/// critical accessibility violation, no sideways scrolling of the page, the navigation behind a Menu button, and KOOS
/// answers large enough to hit and named after their question. One browser and one server for all pages: browser tests are slow.
/// </summary>
public sealed class AccessibilityInBrowser(BrowserClinicFactory factory, ITestOutputHelper output) : PathwayInBrowser(factory, output)
{
    private const int PhoneWidth = 390;
    private readonly List<string> failures = [];

    [Fact]
    public async Task EveryMainPageIsAccessibleAndFitsAPhoneScreen()
    {
        await CheckAsync("/Account/Login", signedIn: false);
        await Page.SetViewportSizeAsync(1280, 800);

        // A clinician who also administers the clinic sees every page; the case is made through the forms.
        var email = $"clinician-admin-{Guid.NewGuid():N}@clinic.test";
        var user = await Factory.CreateUserAsync(email, Roles.Clinician, Roles.Administrator);
        var clinician = new Staff(email, user.DisplayName);
        await LogInAsync(clinician);
        var caseId = await ScreenedCaseAsync("BoneMarrow", "Inés");
        await ConsentAsync(clinician);
        var patientId = await Factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync());
        var template = await Factory.QueryAsync(db => db.ConsentTemplateVersions.OrderBy(v => v.Id).Select(v => v.Id).FirstAsync());

        string[] pages =
        [
            "/Dashboard", "/Patients", "/Patients/Create", $"/Patients/Details/{patientId}", $"/Patients/Edit/{patientId}",
            $"/Cases/Create?patientId={patientId}", $"/Cases/Details/{caseId}", $"/Cases/Screening/{caseId}", $"/Cases/Consent/{caseId}",
            $"/Cases/Product/{caseId}", $"/Cases/TimeOut/{caseId}", $"/Cases/FollowUp/{caseId}", $"/Cases/AdverseEvents/{caseId}",
            $"/Cases/Close/{caseId}", $"/Procedures/BaselineKoos/{caseId}", "/Staff", "/Staff/Create", "/ConsentTemplates",
            $"/ConsentTemplates/Edit/{template}", $"/ConsentTemplates/Preview/{template}", "/ConsentRecords", "/Audit",
            "/Consents/Verify", "/Manage", "/Outcomes",
        ];
        foreach (var path in pages) await CheckAsync(path, signedIn: true);

        await TheMenuOpensOnAPhoneAsync();
        await KoosAnswersAreLargeAndNamedAsync(caseId);

        Assert.True(failures.Count == 0, $"{failures.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
        AssertTheBrowserStayedClean();
    }

    /// <summary>axe at desktop width and at phone width; on the phone, no page-level sideways scroll and the navigation folded away.</summary>
    private async Task CheckAsync(string path, bool signedIn)
    {
        await Page.SetViewportSizeAsync(1280, 800);
        await GoAsync(path);
        if (signedIn) Assert.DoesNotContain("/Account/Login", Page.Url);
        await AxeAsync(path, "1280 px");

        // As a phone opens it.
        await Page.SetViewportSizeAsync(PhoneWidth, 844);
        await GoAsync(path);
        await AxeAsync(path, "390 px");
        var width = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (width > PhoneWidth)
            failures.Add($"{path} at 390 px: the page is {width} px wide and scrolls sideways; widest: {await WidestAsync()}");
        if (signedIn)
        {
            if (!await Page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true }).IsVisibleAsync())
                failures.Add($"{path} at 390 px: no Menu button");
            if (await Page.Locator("#main-nav").GetByRole(AriaRole.Button, new() { Name = "Log out" }).IsVisibleAsync())
                failures.Add($"{path} at 390 px: the navigation is not folded behind the Menu button");
        }
        Output.WriteLine($"{path}: checked");
    }

    private async Task AxeAsync(string path, string width)
    {
        var result = await Page.RunAxe();
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            failures.Add($"{path} at {width}: {violation.Impact} {violation.Id} ({violation.Help}) at "
                + string.Join(", ", violation.Nodes.Select(n => $"{n.Target} {Shorten(n.Html)}")));
    }

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "...";

    /// <summary>The elements that stick out past the right edge of a phone screen, or whose text does, for the failure message.</summary>
    private async Task<string> WidestAsync() => await Page.EvaluateAsync<string>("""
        w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w || e.scrollWidth > w)
             .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')).join(', ')
        """, PhoneWidth);

    private async Task TheMenuOpensOnAPhoneAsync()
    {
        await Page.SetViewportSizeAsync(PhoneWidth, 844);
        await GoAsync("/Dashboard");
        var menu = Page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true });
        var patients = Page.Locator("#main-nav").GetByRole(AriaRole.Link, new() { Name = "Patients" });
        var logOut = Page.Locator("#main-nav").GetByRole(AriaRole.Button, new() { Name = "Log out" });
        Assert.True(await menu.IsVisibleAsync());
        Assert.Equal("main-nav", await menu.GetAttributeAsync("aria-controls"));
        Assert.Equal("false", await menu.GetAttributeAsync("aria-expanded"));
        Assert.False(await patients.IsVisibleAsync());
        Assert.False(await logOut.IsVisibleAsync());

        await menu.ClickAsync();
        await logOut.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.True(await patients.IsVisibleAsync());
        Assert.Equal("true", await menu.GetAttributeAsync("aria-expanded"));
        await ClickAndWaitAsync(patients);
        Assert.EndsWith("/Patients", Page.Url);
    }

    /// <summary>On a phone each KOOS answer is a box of at least 24 by 24 px, clicked anywhere in it, named "S1 Swelling: Often (3)".</summary>
    private async Task KoosAnswersAreLargeAndNamedAsync(Guid caseId)
    {
        await Page.SetViewportSizeAsync(PhoneWidth, 844);
        await GoAsync($"/Procedures/BaselineKoos/{caseId}");
        var answer = Page.GetByRole(AriaRole.Radio, new() { Name = "S1 Swelling: Often (3)", Exact = true });
        Assert.Equal(1, await answer.CountAsync());
        Assert.Equal("Form.Koos.K[0]", await answer.GetAttributeAsync("name"));
        Assert.Equal(1, await Page.GetByRole(AriaRole.Radio, new() { Name = "Q1 How often aware of the knee problem: Constantly (4)", Exact = true }).CountAsync());
        Assert.Equal(1, await Page.GetByRole(AriaRole.Radio, new() { Name = "A1 Going down stairs: blank (not answered)", Exact = true }).CountAsync());

        var target = Page.Locator("label.koos-answer", new() { Has = answer });
        await target.ScrollIntoViewIfNeededAsync();
        var box = await target.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width >= 24 && box.Height >= 24, $"The answer's box is {box.Width} x {box.Height} px");

        // The corner of the box, away from the radio itself, picks the answer.
        Assert.False(await answer.IsCheckedAsync());
        await target.ClickAsync(new() { Position = new() { X = 2, Y = 2 } });
        Assert.True(await answer.IsCheckedAsync());
    }
}
