using System.Diagnostics;
using System.Net;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// A sign-in for a user name no account has cannot be told from one for a real account with a wrong password: not by
/// its answer, not by its time (the app's own password hashing, as shipped), not by the lockout.
/// </summary>
[Collection(nameof(TimedAlone))]
public sealed class UnknownAccountSignIn(SecureClinicFactory factory, ITestOutputHelper output) : IClassFixture<SecureClinicFactory>
{
    private const string Wrong = "The email or password is not right, or the account is disabled.";
    private int _address;

    [Fact]
    public async Task UnknownAndRealAccountsTakeTheSameTime()
    {
        const int Tries = 20;
        var real = new List<string>();
        for (var i = 0; i < Tries + 2; i++)
        {
            var email = $"timed-{Guid.NewGuid():N}@clinic.test";
            await factory.CreateUserAsync(email, Roles.Clinician);
            real.Add(email);
        }
        // The first of each warms up the code paths and is not counted.
        await TimeWrongPasswordAsync(real[0]);
        await TimeWrongPasswordAsync($"nobody-{Guid.NewGuid():N}@clinic.test");

        var realTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 1; i <= Tries; i++)
        {
            realTimes.Add(await TimeWrongPasswordAsync(real[i]));
            unknownTimes.Add(await TimeWrongPasswordAsync($"nobody-{Guid.NewGuid():N}@clinic.test"));
        }

        double Median(List<double> times) => times.Order().ElementAt(times.Count / 2);
        var (realMedian, unknownMedian) = (Median(realTimes), Median(unknownTimes));
        output.WriteLine($"real accounts: median {realMedian:F1} ms, mean {realTimes.Average():F1} ms; unknown: median {unknownMedian:F1} ms, mean {unknownTimes.Average():F1} ms");
        Assert.InRange(Math.Max(realMedian, unknownMedian) / Math.Min(realMedian, unknownMedian), 1.0, 1.2);
    }

    [Fact]
    public async Task AnUnknownNameReachesTheLockoutPageAfterAsManyTriesAsARealAccount()
    {
        var attempts = factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;
        var real = $"locked-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(real, Roles.Clinician);
        var unknown = $"nobody-{Guid.NewGuid():N}@clinic.test";

        foreach (var email in new[] { real, unknown })
        {
            for (var i = 1; i < attempts; i++)
            {
                using var guess = factory.SessionFrom(NextAddress());
                var page = await guess.LogInAsync(email, "guess " + i);
                Assert.Equal(HttpStatusCode.OK, page.Status);
                Assert.Equal([Wrong], page.Errors);
            }
            using var last = factory.SessionFrom(NextAddress());
            Assert.Equal("/Account/Lockout", (await last.LogInAsync(email, "guess " + attempts)).Location);
            // Still locked for the next try, whatever the password; the real account's own password included.
            using var after = factory.SessionFrom(NextAddress());
            Assert.Equal("/Account/Lockout", (await after.LogInAsync(email.ToUpperInvariant(), ClinicFactory.Password)).Location);
        }
    }

    private async Task<double> TimeWrongPasswordAsync(string email)
    {
        using var session = factory.SessionFrom(NextAddress());
        var form = await session.GetAsync("/Account/Login");
        var watch = Stopwatch.StartNew();
        var page = await session.SubmitAsync(form, "form[action='/Account/Login']", Fields(("Email", email), ("Password", "a wrong password")));
        watch.Stop();
        Assert.Equal([Wrong], page.Errors);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Each session from its own address, so the per-client sign-in limit is not what answers.</summary>
    private string NextAddress() => $"198.18.{Interlocked.Increment(ref _address) / 250}.{_address % 250 + 1}";
}

/// <summary>
/// Tests that compare response times run after the others, alone: with every other test class running beside them on
/// two cores, what they would measure is the test runner's load, not the app.
/// </summary>
[CollectionDefinition(nameof(TimedAlone), DisableParallelization = true)]
public sealed class TimedAlone;
