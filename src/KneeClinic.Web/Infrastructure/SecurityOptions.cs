namespace KneeClinic.Web.Infrastructure;

/// <summary>The "Security" settings: two-factor for administrators, session limits and the sign-in rate limit.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>An administrator without an authenticator is sent to set one up and can reach no other page until done.</summary>
    public bool RequireTwoFactorForAdministrators { get; set; } = true;

    /// <summary>A session ends this long after sign-in, however active it is.</summary>
    public TimeSpan AbsoluteSessionLimit { get; set; } = TimeSpan.FromHours(12);

    public LoginRateLimit LoginRateLimitPerClient { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(5) };

    public LoginRateLimit LoginRateLimitPerUsername { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(15) };

    public bool IsValid() =>
        AbsoluteSessionLimit > TimeSpan.Zero && LoginRateLimitPerClient.IsValid() && LoginRateLimitPerUsername.IsValid();
}

/// <summary>At most <see cref="PermitLimit"/> sign-in attempts in each <see cref="Window"/>.</summary>
public sealed class LoginRateLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public bool IsValid() => PermitLimit > 0 && Window > TimeSpan.Zero;
}
