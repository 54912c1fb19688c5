using System.Net;
using KneeClinic.Core.Staff;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

public sealed class SignIn(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne()
    {
        var email = $"lock-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();

        for (var i = 1; i <= 4; i++)
        {
            var attempt = await session.LogInAsync(email, "wrong password " + i);
            Assert.Equal(HttpStatusCode.OK, attempt.Status);
            Assert.Contains(attempt.Errors, e => e.StartsWith("The email or password is not right"));
        }
        var fifth = await session.LogInAsync(email, "wrong password 5");
        Assert.Equal("/Account/Lockout", fifth.Location);

        var right = await session.LogInAsync(email, ClinicFactory.Password);
        Assert.Equal("/Account/Lockout", right.Location);
        var lockoutEnd = await factory.QueryAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).LockoutEnd));
        // Identity reads the system clock for lockouts, not the app's TimeProvider.
        Assert.Equal(DateTimeOffset.UtcNow.AddMinutes(15), lockoutEnd!.Value, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/Patients")).Status);
    }

    [Fact]
    public async Task TheLockoutEndsAfterFifteenMinutes()
    {
        var email = $"unlock-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        for (var i = 0; i < 5; i++) await session.LogInAsync(email, "not the password");

        // Identity compares lockouts with the system clock, so move the lockout's end into the past instead.
        await factory.QueryAsync(async db =>
        {
            var user = db.Users.Single(u => u.Email == email);
            Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14));
            user.LockoutEnd = user.LockoutEnd!.Value.AddMinutes(-16);
            return await db.SaveChangesAsync();
        });
        var page = await session.LogInAsync(email, ClinicFactory.Password);

        Assert.Equal("/", page.Location);
    }

    [Fact]
    public async Task TheAuthCookieIsHttpOnlyAndSameSiteAndExpiresAfterTwentyIdleMinutes()
    {
        var email = $"cookie-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();

        var page = await session.LogInAsync(email, ClinicFactory.Password);

        var cookie = page.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("KneeClinic.Auth="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);

        factory.Clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/Patients")).Status);
    }

    [Fact]
    public async Task UnderHttpsTheAuthCookieIsSecure()
    {
        var email = $"https-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = new WebSession(factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("https://localhost"),
        }));

        var page = await session.LogInAsync(email, ClinicFactory.Password);

        var cookie = page.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("KneeClinic.Auth="));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LoggingOutEndsTheSession()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var patients = await session.GetAsync("/Patients");
        Assert.Equal(HttpStatusCode.OK, patients.Status);

        var after = await session.SubmitAsync(patients, "form[action='/Account/Logout']");

        Assert.Equal("/Account/Login", after.Location);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/Patients")).Status);
    }

    [Fact]
    public async Task ThereIsNoSelfRegistration()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/Account/Register")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/Identity/Account/Register")).Status);
    }

    [Fact]
    public async Task ABadReturnUrlCannotSendAUserOffSite()
    {
        var email = $"return-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        var login = await session.GetAsync("/Account/Login?returnUrl=https%3A%2F%2Fevil.example%2F");

        var page = await session.SubmitAsync(login, "form[action='/Account/Login']", Fields(("Email", email), ("Password", ClinicFactory.Password)));

        Assert.Equal("/", page.Location);
    }

    [Fact]
    public async Task AUserCanTurnOnTwoFactorLoginAndThenNeedsTheCode()
    {
        var email = $"twofactor-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);

        var setup = await session.GetAsync("/Manage/EnableAuthenticator");
        Assert.NotNull(setup.Document.QuerySelector(".qr svg"));
        var key = setup.Document.QuerySelector("kbd")!.TextContent;
        var wrong = await session.SubmitAsync(setup, "form[action='/Manage/EnableAuthenticator']", Fields(("Code", "000000")));
        Assert.Contains(wrong.Errors, e => e.StartsWith("That code is not right"));

        // Each code works once: enrolment takes this one, sign-in the next one the app shows 30 seconds later.
        var now = DateTimeOffset.UtcNow;
        var codes = await session.SubmitAsync(setup, "form[action='/Manage/EnableAuthenticator']", Fields(("Code", Totp.Code(key, now))));
        Assert.Equal(10, codes.Document.QuerySelectorAll("ul.font-monospace li").Length);
        var recoveryCode = codes.Document.QuerySelector("ul.font-monospace li")!.TextContent.Trim();

        using var second = factory.Session();
        var step = await second.LogInAsync(email, ClinicFactory.Password);
        Assert.StartsWith("/Account/LoginWith2fa", step.Location);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/Patients")).Status);
        var twoFactor = await second.GetAsync(step.Location!);
        var done = await second.SubmitAsync(twoFactor, "form[action^='/Account/LoginWith2fa']", Fields(("Code", Totp.Code(key, now.AddSeconds(30)))));
        Assert.Equal("/", done.Location);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/Patients")).Status);

        using var third = factory.Session();
        var third2fa = await third.LogInAsync(email, ClinicFactory.Password);
        var recovery = await third.GetAsync("/Account/LoginWithRecoveryCode");
        var withRecovery = await third.SubmitAsync(recovery, "form[action^='/Account/LoginWithRecoveryCode']", Fields(("RecoveryCode", recoveryCode)));
        Assert.StartsWith("/Account/LoginWith2fa", third2fa.Location);
        Assert.Equal("/", withRecovery.Location);
    }

    [Fact]
    public async Task ChangingThePasswordNeedsTwelveCharactersAndTheCurrentOne()
    {
        var email = $"password-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        var manage = await session.GetAsync("/Manage");

        var tooShort = await session.SubmitAsync(manage, "form[action='/Manage/ChangePassword']",
            Fields(("Password.CurrentPassword", ClinicFactory.Password), ("Password.NewPassword", "short"), ("Password.ConfirmPassword", "short")));
        Assert.Contains("The new password must be at least 12 characters.", tooShort.Errors);

        var wrongCurrent = await session.SubmitAsync(manage, "form[action='/Manage/ChangePassword']",
            Fields(("Password.CurrentPassword", "not my password"), ("Password.NewPassword", "a brand new passphrase"), ("Password.ConfirmPassword", "a brand new passphrase")));
        Assert.Contains("Incorrect password.", wrongCurrent.Errors);

        // Twelve lower-case letters and spaces are enough: no composition rules.
        var changed = await session.SubmitAsync(manage, "form[action='/Manage/ChangePassword']",
            Fields(("Password.CurrentPassword", ClinicFactory.Password), ("Password.NewPassword", "a brand new passphrase"), ("Password.ConfirmPassword", "a brand new passphrase")));
        Assert.Equal("/Manage", changed.Location);
        using var again = factory.Session();
        Assert.Equal("/", (await again.LogInAsync(email, "a brand new passphrase")).Location);
    }
}
