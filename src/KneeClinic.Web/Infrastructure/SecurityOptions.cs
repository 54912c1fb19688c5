namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The "Security" settings: passwords, lockout, two-factor for administrators, session limits and the sign-in rate
/// limit. Checked at start: a value out of range stops the app with a message that names the setting.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Length over composition rules (NIST SP 800-63B): this many characters or more, any characters. 12 is the floor
    /// the password forms check before Identity applies this value.
    /// </summary>
    public int PasswordMinimumLength { get; set; } = 12;

    /// <summary>Wrong passwords in a row before the account is locked for <see cref="LockoutDuration"/>.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan IdleSessionLimit { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>An administrator without an authenticator is sent to set one up and can reach no other page until done.</summary>
    public bool RequireTwoFactorForAdministrators { get; set; } = true;

    /// <summary>
    /// The same for clinicians, who open every patient record. On unless configured off (appsettings.Development.json turns
    /// it off so the demo accounts sign in with the password alone).
    /// </summary>
    public bool RequireTwoFactorForClinicians { get; set; } = true;

    /// <summary>A session ends this long after sign-in, however active it is.</summary>
    public TimeSpan AbsoluteSessionLimit { get; set; } = TimeSpan.FromHours(12);

    public LoginRateLimit LoginRateLimitPerClient { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(5) };

    public LoginRateLimit LoginRateLimitPerUsername { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(15) };

    /// <summary>What is wrong with the settings, naming each one; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (PasswordMinimumLength is < 12 or > 256) yield return "Security:PasswordMinimumLength must be from 12 to 256.";
        if (MaxFailedSignIns < 1) yield return "Security:MaxFailedSignIns must be 1 or more.";
        if (LockoutDuration <= TimeSpan.Zero) yield return "Security:LockoutDuration must be longer than zero.";
        if (IdleSessionLimit <= TimeSpan.Zero) yield return "Security:IdleSessionLimit must be longer than zero.";
        if (AbsoluteSessionLimit <= TimeSpan.Zero) yield return "Security:AbsoluteSessionLimit must be longer than zero.";
        if (!LoginRateLimitPerClient.IsValid()) yield return "Security:LoginRateLimitPerClient needs a PermitLimit of 1 or more and a Window longer than zero.";
        if (!LoginRateLimitPerUsername.IsValid()) yield return "Security:LoginRateLimitPerUsername needs a PermitLimit of 1 or more and a Window longer than zero.";
    }

    public sealed class Validator : Microsoft.Extensions.Options.IValidateOptions<SecurityOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SecurityOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems)
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}

/// <summary>At most <see cref="PermitLimit"/> sign-in attempts in each <see cref="Window"/>.</summary>
public sealed class LoginRateLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }

    public bool IsValid() => PermitLimit > 0 && Window > TimeSpan.Zero;
}
