using System.Net;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>The sign-in post is limited per client address and per username, with the limits the app ships.</summary>
public sealed class LoginRateLimits(SecureClinicFactory factory, ITestOutputHelper output) : IClassFixture<SecureClinicFactory>
{
    private SecurityOptions Settings => factory.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;

    [Fact]
    public async Task OneUsernameIsLimitedWhateverTheClientWhileOthersAreNot()
    {
        var limit = Settings.LoginRateLimitPerUsername.PermitLimit;
        var email = $"kate-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        var requests = 0;
        // Spellings Identity finds the same account by: another case, and the Kelvin sign for "k".
        string[] spellings = [email, email.ToUpperInvariant(), "\u212A" + email[1..]];

        // Each attempt from a different address, as in a spread-out attack; the lockout answers from the fifth on.
        for (var i = 0; i < limit; i++)
        {
            using var attacker = factory.SessionFrom($"198.51.100.{i + 1}");
            var attempt = await attacker.LogInAsync(spellings[i % spellings.Length], "guess number " + i);
            requests++;
            Assert.NotEqual(HttpStatusCode.TooManyRequests, attempt.Status);
        }
        using var last = factory.SessionFrom("198.51.100.200");
        var refused = await last.LogInAsync(" " + email + " ", ClinicFactory.Password);
        requests++;

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        AssertSaysWhenToTryAgain(refused, Settings.LoginRateLimitPerUsername.Window);

        var other = $"other-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(other, Roles.Clinician);
        using var colleague = factory.SessionFrom("203.0.113.7");
        Assert.Equal("/", (await colleague.LogInAsync(other, ClinicFactory.Password)).Location);
        requests++;
        output.WriteLine($"per username: limit {limit}, {requests} sign-in posts");
    }

    [Theory]
    [InlineData("twice")]
    [InlineData("address")]
    [InlineData("password in the address")]
    public async Task ACredentialSentTwiceOrInTheAddressIsRefused(string how)
    {
        var email = $"dup-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.SessionFrom("192.0.2.90");
        var login = await session.GetAsync("/Account/Login");
        var token = login.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var fields = new List<KeyValuePair<string, string>> { new("Password", ClinicFactory.Password), new("__RequestVerificationToken", token) };
        var url = "/Account/Login";
        switch (how)
        {
            case "twice": fields.Add(new("Email", $"someone-else-{Guid.NewGuid():N}@clinic.test")); fields.Add(new("Email", email)); break;
            case "address": url += "?Email=" + Uri.EscapeDataString(email); break;
            default: fields.Add(new("Email", email)); url += "?Password=x"; break;
        }

        var refused = await Page.ReadAsync(await session.Client.PostAsync(url, new FormUrlEncodedContent(fields)));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/Patients")).Status);
        Assert.Equal("/", (await session.LogInAsync(email, ClinicFactory.Password)).Location);
    }

    [Fact]
    public async Task OneClientIsLimitedAcrossUsernamesWhileOtherClientsAreNot()
    {
        var limit = Settings.LoginRateLimitPerClient.PermitLimit;
        using var sprayer = factory.SessionFrom("192.0.2.50");
        var requests = 0;
        for (var i = 0; i < limit; i++)
        {
            var attempt = await sprayer.LogInAsync($"nobody-{i}-{Guid.NewGuid():N}@clinic.test", "Summer2026!!");
            requests++;
            Assert.Equal(HttpStatusCode.OK, attempt.Status);
        }
        var email = $"real-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);

        var refused = await sprayer.LogInAsync(email, ClinicFactory.Password);
        requests++;
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        AssertSaysWhenToTryAgain(refused, Settings.LoginRateLimitPerClient.Window);
        Assert.Equal(HttpStatusCode.Redirect, (await sprayer.GetAsync("/Patients")).Status);

        using var elsewhere = factory.SessionFrom("192.0.2.51");
        Assert.Equal("/", (await elsewhere.LogInAsync(email, ClinicFactory.Password)).Location);
        requests++;
        // Only the sign-in post is limited: the refused client can still load the sign-in page.
        Assert.Equal(HttpStatusCode.OK, (await sprayer.GetAsync("/Account/Login")).Status);
        output.WriteLine($"per client: limit {limit}, {requests} sign-in posts");
    }

    private static void AssertSaysWhenToTryAgain(Page refused, TimeSpan window)
    {
        var retryAfter = refused.Response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value, TimeSpan.FromSeconds(1), window);
        Assert.Contains("Too many sign-in attempts", refused.Text);
        Assert.Matches(@"Try again in \d+ (seconds|minutes)\.", refused.Text);
        Assert.DoesNotContain("Exception", refused.Text);
    }
}
