using System.Net;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Sessions end after 20 idle minutes and 12 hours after sign-in whatever the activity (on the app's clock), and a
/// copy of a sign-in cookie stops working once its owner logs out, changes password, is disabled or changes roles.
/// </summary>
public sealed class SessionLifetime(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    [Fact]
    public async Task ASessionActiveEveryTenMinutesEndsTwelveHoursAfterSignIn()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var requests = 0;

        for (var elapsed = TimeSpan.FromMinutes(10); elapsed < TimeSpan.FromHours(12); elapsed += TimeSpan.FromMinutes(10))
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(10));
            var page = await session.GetAsync("/Patients");
            requests++;
            Assert.True(page.Status == HttpStatusCode.OK, $"signed out after {elapsed}");
        }
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        var atTwelveHours = await session.GetAsync("/Patients");
        output.WriteLine($"{requests + 1} requests ten minutes apart");

        Assert.Equal(HttpStatusCode.Redirect, atTwelveHours.Status);
        Assert.StartsWith("/Account/Login", new Uri(new Uri("http://localhost"), atTwelveHours.Location).PathAndQuery);
        // The expired cookie is removed, and signing in again starts a new twelve hours.
        Assert.Contains(atTwelveHours.Response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("KneeClinic.Auth=;"));
    }

    [Fact]
    public async Task ChangingThePasswordDoesNotRestartTheTwelveHours()
    {
        var email = $"long-day-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        for (var i = 0; i < 66; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);
        }

        var manage = await session.GetAsync("/Manage");
        var changed = await session.SubmitAsync(manage, "form[action='/Manage/ChangePassword']", Fields(
            ("Password.CurrentPassword", ClinicFactory.Password), ("Password.NewPassword", "eleven hours into the shift"),
            ("Password.ConfirmPassword", "eleven hours into the shift")));
        Assert.Equal("/Manage", changed.Location);
        for (var i = 0; i < 5; i++)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);
        }
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/Patients")).Status);

        var again = await session.LogInAsync(email, "eleven hours into the shift");
        Assert.Equal("/", again.Location);
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);
    }

    [Fact]
    public async Task TheCookieIsIssuedAgainOnceItIsAMinuteOldNotWithEveryPage()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        static bool Renewed(WebSession.Page page) =>
            page.Response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("KneeClinic.Auth=", StringComparison.Ordinal));

        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        var soon = await session.GetAsync("/Patients");
        Assert.False(Renewed(soon));
        // Twenty minutes from the sign-in, less the 30 s gone (the cookie carries its expiry to the second).
        Assert.InRange(int.Parse(soon.Document.Body!.GetAttribute("data-session-seconds")!, System.Globalization.CultureInfo.InvariantCulture), 1169, 1170);

        factory.Clock.Advance(TimeSpan.FromSeconds(45));
        var later = await session.GetAsync("/Patients");
        Assert.True(Renewed(later));
        Assert.Equal("1200", later.Document.Body!.GetAttribute("data-session-seconds"));
        Assert.False(Renewed(await session.GetAsync("/Patients")));
    }

    [Fact]
    public async Task TwentyOneIdleMinutesEndTheSessionWhileNineteenDoNot()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);

        factory.Clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(21));
        var after = await session.GetAsync("/Patients");

        Assert.Equal(HttpStatusCode.Redirect, after.Status);
        Assert.Contains("/Account/Login", after.Location);
    }

    [Fact]
    public async Task ACopiedCookieFailsAfterLogout()
    {
        var (session, cookie) = await SignInCapturingCookieAsync(Roles.Clinician);
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(cookie));

        var page = await session.GetAsync("/Patients");
        Assert.Equal("/Account/Login", (await session.SubmitAsync(page, "form[action='/Account/Logout']")).Location);

        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(cookie));
    }

    [Fact]
    public async Task ACopiedCookieFailsOnceTheAccountIsDisabled()
    {
        var (_, cookie) = await SignInCapturingCookieAsync(Roles.Clinician, out var email);
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(cookie));
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var id = await factory.QueryAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));

        var list = await admin.GetAsync("/Staff");
        await admin.SubmitAsync(await admin.SubmitAsync(list, $"form[action='/Staff/Disable/{id}']"), "#confirm-disable");

        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(cookie));
    }

    [Fact]
    public async Task ACopiedCookieFailsAfterAPasswordChangeInAnotherSessionWhileThatSessionGoesOn()
    {
        var (_, cookie) = await SignInCapturingCookieAsync(Roles.Clinician, out var email);
        using var other = factory.Session();
        await other.LogInAsync(email, ClinicFactory.Password);

        var manage = await other.GetAsync("/Manage");
        var changed = await other.SubmitAsync(manage, "form[action='/Manage/ChangePassword']", Fields(
            ("Password.CurrentPassword", ClinicFactory.Password), ("Password.NewPassword", "someone saw me type it"),
            ("Password.ConfirmPassword", "someone saw me type it")));

        Assert.Equal("/Manage", changed.Location);
        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(cookie));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/Patients")).Status);
    }

    [Fact]
    public async Task ACopiedCookieFailsAfterARoleChange()
    {
        var (_, cookie) = await SignInCapturingCookieAsync(Roles.Clinician, out var email);
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var id = await factory.QueryAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));

        var edit = await admin.GetAsync($"/Staff/Edit/{id}");
        var saved = await admin.SubmitAsync(edit, "form[action^='/Staff/Edit']", Fields(("Administrator", "true"), ("Clinician", "true")));

        Assert.Equal("/Staff", saved.Location);
        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(cookie));
    }

    private Task<(WebSession Session, string Cookie)> SignInCapturingCookieAsync(string role) => SignInCapturingCookieAsync(role, out _);

    private Task<(WebSession Session, string Cookie)> SignInCapturingCookieAsync(string role, out string email)
    {
        email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@clinic.test";
        return SignIn(email, role);

        async Task<(WebSession, string)> SignIn(string address, string r)
        {
            await factory.CreateUserAsync(address, r);
            var session = factory.Session();
            var done = await session.LogInAsync(address, ClinicFactory.Password);
            var cookie = done.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("KneeClinic.Auth=")).Split(';')[0];
            return (session, cookie);
        }
    }

    /// <summary>The captured cookie, sent by a client that has nothing else: what someone who copied it would do.</summary>
    private async Task<HttpStatusCode> ReplayAsync(string cookie)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Manage");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Redirect)
            Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
        return response.StatusCode;
    }
}
