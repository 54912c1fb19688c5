using System.Diagnostics;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// A sign-in for a user name no account has must look like one for a real account with a wrong password: the password
/// is hashed against a stand-in hash, so it takes as long, and wrong tries are counted per normalised name like
/// Identity's lockout counts them, so the same number of tries ends on the lockout page for the same time. Counted in
/// this instance's memory (a name nobody has needs no row), like the sign-in rate limits. A real account's failure also
/// writes its count to the database, which hashing alone does not cost: the answer for an unknown name is held back to
/// the typical time of a recent real failure, measured here as it happens.
/// </summary>
public sealed class UnknownAccounts(IMemoryCache cache, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    private readonly ClinicUser _standIn = new() { UserName = "unknown", Email = "unknown@unknown.invalid" };
    private string? _standInHash;

    private sealed class Tries
    {
        public int Failed;
        public DateTimeOffset? LockedUntil;
    }

    private readonly Lock _timing = new();
    private readonly double[] _realFailureMs = new double[31];
    private int _realFailures;
    private readonly double[] _overshootMs = new double[31];
    private int _delays;

    /// <summary>How long a wrong password for a real account took: the median of the last 31 is what unknown names wait to.</summary>
    public void RealFailureTook(TimeSpan elapsed)
    {
        lock (_timing) _realFailureMs[_realFailures++ % _realFailureMs.Length] = elapsed.TotalMilliseconds;
    }

    private double TypicalRealFailureMs() => Median(_realFailureMs, _realFailures);

    /// <summary>The median of the last values kept in a ring of <paramref name="count"/> written so far; 0 before any.</summary>
    private double Median(double[] ring, int count)
    {
        lock (_timing)
        {
            if (count == 0) return 0;
            var recent = ring[..Math.Min(count, ring.Length)];
            Array.Sort(recent);
            return recent[recent.Length / 2];
        }
    }

    /// <summary>Hashed with the app's own hasher (scoped, so handed over by the sign-in manager) at the cost a real account's check has.</summary>
    public async Task<SignInResult> SignInAsync(string normalizedName, string password, IPasswordHasher<ClinicUser> hasher)
    {
        var started = Stopwatch.GetTimestamp();
        _standInHash ??= hasher.HashPassword(_standIn, Guid.NewGuid().ToString("N"));
        var result = SignIn(normalizedName, password, hasher, out var hashed);
        if (hashed)
        {
            // A delay ends late (timer resolution, a busy thread pool), and always late: without taking that off, unknown
            // names would answer a steady few milliseconds after real ones under load.
            var wait = TypicalRealFailureMs() - Stopwatch.GetElapsedTime(started).TotalMilliseconds - Median(_overshootMs, _delays);
            // Wall-clock time, not the app's clock: this is about how long the answer takes, not what time it is.
            if (wait >= 1)
            {
                var delayed = Stopwatch.GetTimestamp();
                await Task.Delay(TimeSpan.FromMilliseconds(wait));
                var overshoot = Stopwatch.GetElapsedTime(delayed).TotalMilliseconds - wait;
                lock (_timing) _overshootMs[_delays++ % _overshootMs.Length] = overshoot;
            }
        }
        return result;
    }

    private SignInResult SignIn(string normalizedName, string password, IPasswordHasher<ClinicUser> hasher, out bool hashed)
    {
        hashed = false;
        var lockout = identity.Value.Lockout;
        var tries = cache.GetOrCreate("unknown-account:" + normalizedName, entry =>
        {
            // Long enough to outlast a lockout and a slow guesser; Identity keeps a real account's count until a success.
            entry.SlidingExpiration = lockout.DefaultLockoutTimeSpan + TimeSpan.FromDays(1);
            entry.Size = 1;
            return new Tries();
        })!;
        var now = clock.GetUtcNow();
        lock (tries)
            if (tries.LockedUntil > now) return SignInResult.LockedOut; // Identity answers a locked account before hashing too

        hasher.VerifyHashedPassword(_standIn, _standInHash!, password);
        hashed = true;
        lock (tries)
        {
            if (++tries.Failed < lockout.MaxFailedAccessAttempts) return SignInResult.Failed;
            tries.Failed = 0;
            tries.LockedUntil = now + lockout.DefaultLockoutTimeSpan;
            return SignInResult.LockedOut;
        }
    }
}
