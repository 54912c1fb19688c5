using System.Net;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// With the shipped settings (Security:RequireTwoFactorForAdministrators and Security:RequireTwoFactorForClinicians
/// true) an administrator or a clinician must enrol an authenticator before anything else; and an authenticator code is accepted once only.
/// </summary>
public sealed class TwoFactorRules(SecureClinicFactory factory) : IClassFixture<SecureClinicFactory>
{
    private const string SetUpPage = "/Manage/EnableAuthenticator";

    [Fact]
    public async Task AnAdministratorWithoutTwoFactorIsSentToSetItUpAndThenSignsInWithACode()
    {
        var email = $"admin-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Administrator);
        using var session = factory.Session();
        Assert.Equal("/", (await session.LogInAsync(email, ClinicFactory.Password)).Location);

        foreach (var url in new[] { "/", "/Staff", "/Staff/Create", "/ConsentTemplates", "/ConsentRecords", "/Manage" })
            Assert.Equal(SetUpPage, (await session.GetAsync(url)).Location);
        var setup = await session.GetAsync(SetUpPage);
        Assert.Equal(HttpStatusCode.OK, setup.Status);
        Assert.Contains("Administrators must use two-factor login", setup.Text);
        // Posting an administrator form directly is turned away as well, and creates nothing.
        var post = await session.PostAsync(setup, "/Staff/Create", Fields(("DisplayName", "Early Bird"), ("Email", "early@clinic.test"),
            ("InitialPassword", "a long enough passphrase"), ("Clinician", "true")));
        Assert.Equal(SetUpPage, post.Location);
        Assert.False(await factory.QueryAsync(db => Task.FromResult(db.Users.Any(u => u.Email == "early@clinic.test"))));

        var key = setup.Document.QuerySelector("kbd")!.TextContent;
        var now = DateTimeOffset.UtcNow;
        var codes = await session.SubmitAsync(setup, $"form[action='{SetUpPage}']", Fields(("Code", Totp.Code(key, now))));
        Assert.Equal(10, codes.Document.QuerySelectorAll("ul.font-monospace li").Length);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Staff")).Status);

        using var next = factory.Session();
        var step = await next.LogInAsync(email, ClinicFactory.Password);
        Assert.StartsWith("/Account/LoginWith2fa", step.Location);
        var twoFactor = await next.GetAsync(step.Location!);
        var done = await next.SubmitAsync(twoFactor, "form[action^='/Account/LoginWith2fa']", Fields(("Code", Totp.Code(key, now.AddSeconds(30)))));
        Assert.Equal("/", done.Location);
        Assert.Equal("/Staff", (await next.GetAsync("/")).Location);
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/Staff")).Status);
    }

    [Fact]
    public async Task AClinicianWithoutTwoFactorIsSentToSetItUpAndThenReachesThePatients()
    {
        Assert.True(factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.RequireTwoFactorForClinicians);
        using var clinician = await factory.SignedInAsync(Roles.Clinician);

        foreach (var url in new[] { "/", "/Patients", "/Patients/Create", "/Manage" })
            Assert.Equal(SetUpPage, (await clinician.GetAsync(url)).Location);
        var setup = await clinician.GetAsync(SetUpPage);
        Assert.Contains("Clinicians must use two-factor login", setup.Document.Body!.TextContent);
        var key = setup.Document.QuerySelector("kbd")!.TextContent;
        await clinician.SubmitAsync(setup, $"form[action='{SetUpPage}']", Fields(("Code", Totp.Code(key, DateTimeOffset.UtcNow))));
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync("/Patients")).Status);
    }

    [Fact]
    public async Task WithTheSettingOffAClinicianIsNotMadeToSetUpTwoFactor()
    {
        await using var clinic = new SettingsClinicFactory();
        Assert.False(clinic.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityOptions>>().Value.RequireTwoFactorForClinicians);
        using var clinician = await clinic.SignedInAsync(Roles.Clinician);

        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync("/Patients")).Status);
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync("/Manage")).Status);
    }

    [Fact]
    public async Task AnAuthenticatorCodeCannotBeUsedTwice()
    {
        var email = $"totp-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        var setup = await session.GetAsync(SetUpPage);
        var key = setup.Document.QuerySelector("kbd")!.TextContent;
        var now = DateTimeOffset.UtcNow;
        var enrolment = await session.SubmitAsync(setup, $"form[action='{SetUpPage}']", Fields(("Code", Totp.Code(key, now))));
        Assert.Equal(HttpStatusCode.OK, enrolment.Status);
        // The enrolling session itself carries on after turning two-factor on.
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);
        // The key is shown during enrolment only: asked for again, the set-up page sends to the account page without it.
        var shownAgain = await session.GetAsync(SetUpPage);
        Assert.Equal("/Manage", shownAgain.Location);
        var account = await session.FollowAsync(shownAgain);
        Assert.Contains("already on", account.Text);
        Assert.DoesNotContain(key, account.Text);
        Assert.DoesNotContain(key.Replace(" ", ""), account.Text.Replace(" ", ""));

        // The enrolment code has been used: it does not sign in.
        Assert.Contains("has been used already", string.Join(" ", (await TwoFactorSignInAsync(email, Totp.Code(key, now))).Page.Errors));

        var code = Totp.Code(key, now.AddSeconds(30));
        var (signedIn, first) = await TwoFactorSignInAsync(email, code);
        Assert.Equal("/", first.Location);
        var patients = await signedIn.GetAsync("/Patients");
        Assert.Equal("/Account/Login", (await signedIn.SubmitAsync(patients, "form[action='/Account/Logout']")).Location);

        var (_, again) = await TwoFactorSignInAsync(email, code);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("That code is not right or has been used already. Codes change every 30 seconds.", again.Errors);
        // An older code than the last one accepted is no better; the next one is fine.
        Assert.Equal(HttpStatusCode.OK, (await TwoFactorSignInAsync(email, Totp.Code(key, now.AddSeconds(-30)))).Page.Status);
        Assert.Equal("/", (await TwoFactorSignInAsync(email, Totp.Code(key, now.AddSeconds(60)))).Page.Location);
    }

    [Fact]
    public async Task WrongRecoveryCodesCountTowardLockoutAndALockedAccountTakesNoRecoveryCode()
    {
        var email = $"recovery-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        var setup = await session.GetAsync(SetUpPage);
        var key = setup.Document.QuerySelector("kbd")!.TextContent;
        var enrolment = await session.SubmitAsync(setup, $"form[action='{SetUpPage}']", Fields(("Code", Totp.Code(key, DateTimeOffset.UtcNow))));
        var recoveryCode = enrolment.Document.QuerySelector("ul.font-monospace li")!.TextContent.Trim();
        var attempts = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions>>()
            .Value.Lockout.MaxFailedAccessAttempts;

        using var guesser = factory.Session();
        var step = await guesser.LogInAsync(email, ClinicFactory.Password);
        Assert.StartsWith("/Account/LoginWith2fa", step.Location);
        Page last = step;
        for (var i = 0; i < attempts; i++)
        {
            var form = await guesser.GetAsync("/Account/LoginWithRecoveryCode");
            last = await guesser.SubmitAsync(form, "form[action^='/Account/LoginWithRecoveryCode']", Fields(("RecoveryCode", $"WRONG-{i:D4}")));
        }
        Assert.Equal("/Account/Lockout", last.Location);

        // Locked: even the right recovery code is not taken, and it stays unused.
        var again = await guesser.GetAsync("/Account/LoginWithRecoveryCode");
        Assert.Equal("/Account/Lockout", (await guesser.SubmitAsync(again, "form[action^='/Account/LoginWithRecoveryCode']", Fields(("RecoveryCode", recoveryCode)))).Location);
        Assert.Equal(HttpStatusCode.Redirect, (await guesser.GetAsync("/Patients")).Status);
    }

    private async Task<(WebSession Session, Page Page)> TwoFactorSignInAsync(string email, string code)
    {
        var session = factory.Session();
        var step = await session.LogInAsync(email, ClinicFactory.Password);
        Assert.StartsWith("/Account/LoginWith2fa", step.Location);
        var form = await session.GetAsync(step.Location!);
        return (session, await session.SubmitAsync(form, "form[action^='/Account/LoginWith2fa']", Fields(("Code", code))));
    }
}
