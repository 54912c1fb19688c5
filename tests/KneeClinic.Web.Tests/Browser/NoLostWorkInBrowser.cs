using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>
/// In Chromium: the session warning two minutes before the idle limit and "Stay signed in"; a session that ends
/// while a form is being filled in, or as it is sent, gives back what was typed after signing in again, with no
/// "405"; a second "Generate" does not make a second form; a grade 4 event is not saved as not serious.
/// </summary>
public sealed class NoLostWorkInBrowser(BrowserClinicFactory factory, ITestOutputHelper output) : PathwayInBrowser(factory, output)
{
    private async Task SignInAgainAsync(Staff who)
    {
        Assert.Contains("/Account/Login", Page.Url);
        var form = Page.Locator("form[action^='/Account/Login']");
        await form.GetByLabel("Email").FillAsync(who.Email);
        await form.GetByLabel("Password").FillAsync(ClinicFactory.Password);
        await ClickAndWaitAsync(form.GetByRole(AriaRole.Button, new() { Name = "Log in" }));
    }

    [Fact]
    public async Task TypedTextSurvivesTheEndOfASessionAndDuplicatesAndUnderstatedEventsAreRefused()
    {
        await Page.Clock.InstallAsync();
        var clinician = await ClinicianAsync();
        await LogInAsync(clinician);
        var caseId = await ScreenedCaseAsync("Adipose", "Maëlle");
        var history = $"form[action$='/Screening/Checkup/{caseId}'] [name='Checkup.MedicalHistory']";

        // "Generate" twice: the second is refused and names the form that waits for its signature.
        await GoAsync($"/Cases/Consent/{caseId}");
        await SubmitOnCaseAsync("#generate-consent", ("Consent.Language", "English"));
        var number = await Page.Locator("#consents tr[data-number]").GetAttributeAsync("data-number");
        await FillAndSubmitAsync("#generate-consent", ("Consent.Language", "English"));
        Assert.Contains(number!, await ErrorsAsync());
        Assert.Equal(1, await Page.Locator("#consents tr[data-number]").CountAsync());

        // A grade 4 event without a seriousness criterion is refused, beside the form; with "life-threatening" it is saved.
        await GoAsync($"/Cases/AdverseEvents/{caseId}");
        await Page.Locator("summary", new() { HasText = "Report an adverse event" }).ClickAsync();
        var form = Page.Locator("#adverse-event-form");
        await FillAsync(form, ("AdverseEvent.OnsetOn", Today()), ("AdverseEvent.Category", "Infection"), ("AdverseEvent.CtcaeGrade", "4"),
            ("AdverseEvent.Relatedness", "Possible"), ("AdverseEvent.Description", "Septic arthritis, admitted to intensive care"),
            ("AdverseEvent.Outcome", "Ongoing"));
        await ClickAndWaitAsync(form.Locator("button[type=submit]"));
        Assert.Contains("Grade 4 means life-threatening", await ErrorsAsync());
        Assert.Equal(0, await Page.Locator("#adverse-event-list").CountAsync());
        form = Page.Locator("#adverse-event-form");
        Assert.True(await form.IsVisibleAsync());
        Assert.Equal("Septic arthritis, admitted to intensive care", await form.Locator("[name='AdverseEvent.Description']").InputValueAsync());
        await form.GetByLabel("Life-threatening").CheckAsync();
        await SubmitOnCaseAsync("#adverse-event-form");
        Assert.Contains("Life-threatening", await TextAsync("#adverse-event-list"));
        Assert.Contains("Report by", await TextAsync("#adverse-event-list"));

        // The warning comes two minutes before the idle limit; "Stay signed in" renews the session.
        await GoAsync($"/Cases/Screening/{caseId}");
        Assert.True(await Page.Locator("#session-warning").IsHiddenAsync());
        await Page.Clock.FastForwardAsync("18:30");
        await Assertions.Expect(Page.Locator("#session-warning")).ToBeVisibleAsync();
        Assert.Matches("^1:[0-3][0-9]$", await TextAsync("#session-countdown"));
        await Page.Locator("#stay-signed-in").ClickAsync();
        await Assertions.Expect(Page.Locator("#session-warning")).ToBeHiddenAsync();

        // Typing, then away from the desk past the idle limit: the page says so, and signing in again gives the text back.
        await Page.Locator(history).FillAsync("Right knee pain for six years; walks 500 m");
        Factory.Clock.Advance(TimeSpan.FromMinutes(21));
        await Page.Clock.FastForwardAsync("21:00");
        await Assertions.Expect(Page.Locator("#session-ended")).ToBeVisibleAsync();
        await ClickAndWaitAsync(Page.Locator("#sign-in-again"));
        await SignInAgainAsync(clinician);
        Assert.EndsWith($"/Cases/Screening/{caseId}", Page.Url);
        Assert.True(await Page.Locator("#draft-restored").IsVisibleAsync());
        Assert.Equal("Right knee pain for six years; walks 500 m", await Page.Locator(history).InputValueAsync());

        // Sent after the session ended: sign-in, then back to the form's page (not "405"), the text in its form.
        await Page.Locator(history).FillAsync("Right knee pain for seven years");
        Factory.Clock.Advance(TimeSpan.FromMinutes(21));
        await ClickAndWaitAsync(Page.Locator($"form[action$='/Screening/Checkup/{caseId}'] button[type=submit]"));
        await SignInAgainAsync(clinician);
        Assert.EndsWith($"/Cases/Screening/{caseId}", Page.Url);
        Assert.Equal("Right knee pain for seven years", await Page.Locator(history).InputValueAsync());
        await SubmitOnCaseAsync($"form[action$='/Screening/Checkup/{caseId}']");
        Assert.False(await Page.Locator("#draft-restored").IsVisibleAsync());
        Assert.Equal("Right knee pain for seven years", await Page.Locator(history).InputValueAsync());
    }
}
