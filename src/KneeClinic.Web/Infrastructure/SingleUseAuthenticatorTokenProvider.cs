using System.Globalization;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Authenticator codes (RFC 6238) that work once: the time step of the last accepted code is kept in the user's
/// Identity tokens, and a code whose step is not newer is refused, so a code seen over a shoulder or replayed
/// within its 30 seconds is useless. Like Identity's own provider, it takes codes up to two steps either side of
/// now, by the system clock (the clock the phone shows).
/// </summary>
public sealed class SingleUseAuthenticatorTokenProvider : AuthenticatorTokenProvider<ClinicUser>
{
    public const string TokenLoginProvider = "[KneeClinic]";
    public const string LastTimeStepToken = "LastAuthenticatorTimeStep";

    private static readonly VerificationWindow Window = new(previous: 2, future: 2);

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<ClinicUser> manager, ClinicUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !token.All(char.IsAsciiDigit)) return false;
        if (!new Totp(Base32Encoding.ToBytes(key)).VerifyTotp(DateTime.UtcNow, token, out var step, Window)) return false;

        var last = await manager.GetAuthenticationTokenAsync(user, TokenLoginProvider, LastTimeStepToken);
        if (long.TryParse(last, CultureInfo.InvariantCulture, out var lastStep) && step <= lastStep) return false;
        // Saved with the user's concurrency stamp: of two requests racing with one code, only one is saved.
        var saved = await manager.SetAuthenticationTokenAsync(user, TokenLoginProvider, LastTimeStepToken, step.ToString(CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }
}
