using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The absolute session limit. The sign-in time is kept in the cookie's authentication properties, not in a claim:
/// properties survive the cookie's renewal on every request and a refreshed sign-in (password change, two-factor
/// on or off), while the security stamp check rebuilds the claims each time, and a fresh sign-in starts new ones.
/// </summary>
public static class SessionLimits
{
    public const string SignedInAtKey = ".kneeclinic.signedin";

    public static void Apply(CookieAuthenticationEvents events)
    {
        var signingIn = events.OnSigningIn;
        events.OnSigningIn = async context =>
        {
            if (context.Properties.GetString(SignedInAtKey) is null)
                context.Properties.SetString(SignedInAtKey, Now(context.HttpContext).ToString("O", CultureInfo.InvariantCulture));
            await signingIn(context);
        };

        var validate = events.OnValidatePrincipal; // Identity's security stamp check
        events.OnValidatePrincipal = async context =>
        {
            if (HasOutlivedLimit(context))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await validate(context);
            if (context.Principal is not null) context.HttpContext.Items[EndsAtKey] = EndsAt(context);
        };
    }

    private const string EndsAtKey = "KneeClinic.SessionEndsAt";

    /// <summary>
    /// Seconds until this request's session ends if nothing more is sent: the idle limit (as the cookie carries it, or
    /// from now when this request renews it) or the absolute limit, whichever comes first, in whole seconds (a cookie
    /// carries its expiry to the second, so that is up to a second less than the idle limit); null when not signed in.
    /// </summary>
    public static int? SecondsLeft(HttpContext context) => context.Items[EndsAtKey] is DateTimeOffset endsAt
        ? (int)Math.Max(0, (endsAt - Now(context)).TotalSeconds)
        : null;

    private static DateTimeOffset EndsAt(CookieValidatePrincipalContext context)
    {
        var security = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var now = Now(context.HttpContext);
        var signedInAt = DateTimeOffset.Parse(context.Properties.GetString(SignedInAtKey)!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var absolute = signedInAt + security.AbsoluteSessionLimit;
        // Renewed by this request, the cookie lasts the idle limit from now; otherwise until the expiry it carries.
        var idle = context.ShouldRenew || context.Properties.ExpiresUtc is not { } expires ? now + security.IdleSessionLimit : expires;
        return absolute < idle ? absolute : idle;
    }

    /// <summary>A cookie without a sign-in time (issued before the limit existed) is treated as expired.</summary>
    private static bool HasOutlivedLimit(CookieValidatePrincipalContext context)
    {
        var limit = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.AbsoluteSessionLimit;
        return !DateTimeOffset.TryParse(context.Properties.GetString(SignedInAtKey), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt)
            || Now(context.HttpContext) - signedInAt >= limit;
    }

    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}
