using System.Runtime.ExceptionServices;
using KneeClinic.Core.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The sign-in cookie is checked on every request: its security stamp must still be the account's, which changes when
/// the account is disabled, its roles change or its password changes, so those end every session at its next request
/// (on another instance, within a tenth of a second). The check reads that one column, and keeps what it read until
/// the next change saved (<see cref="DataChanges"/>); the cookie's claims were made at sign-in and stay
/// right until the stamp changes, so they are not rebuilt (Identity's own validator would read the user, roles and
/// claims again on every request). The cookie is renewed once it is a minute old (<see cref="RenewAfter"/>), so the idle
/// limit counts from the last request, to within that minute.
/// When the database cannot be reached, that check must still end on the generic error page: authentication
/// remembers its result for the whole request, so a failure thrown inside it would fail the error page too.
/// The failure is therefore kept aside, the request treated as signed out, and the failure thrown again just
/// after authentication, where the exception handler turns it into the error page.
/// </summary>
public static class SignInCheck
{
    private const string Failure = "KneeClinic.SignInCheckFailure";

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        try
        {
            if (!await StampIsCurrentAsync(context))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            context.ShouldRenew = RenewalDue(context);
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            context.RejectPrincipal();
            context.HttpContext.Items[Failure] = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>
    /// A cookie is issued again, its idle limit counted from that request, once it is this old: not on every request,
    /// which encrypted and sent a new cookie with every page. The idle limit is then counted from a request at most
    /// this long before the last one; the session's time left, as pages show it, is the cookie's own.
    /// </summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromMinutes(1);

    private static bool RenewalDue(CookieValidatePrincipalContext context) =>
        context.Properties.IssuedUtc is not { } issued
        || context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() - issued >= RenewAfter;

    /// <summary>
    /// How long what the check read of an account is used while the audit trail records no change: an account changed
    /// outside the app (straight in the database, which the trail does not see) is checked again within this time.
    /// </summary>
    public static readonly TimeSpan OutsideChangeSeenWithin = TimeSpan.FromSeconds(5);

    private sealed record Account(string Stamp, bool TwoFactorEnabled, bool MustChangePassword, long? LastChange);

    private static async Task<bool> StampIsCurrentAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        if (context.Principal?.FindFirst(claims.UserIdClaimType)?.Value is not { } userId
            || context.Principal.FindFirst(claims.SecurityStampClaimType)?.Value is not { } stamp)
            return false;
        var db = services.GetRequiredService<ClinicDbContext>();
        // What was read of the account is kept while no change has been saved since (every change to an account, its
        // roles or its tokens writes the audit trail), so a busy session costs no statement per request; a change on
        // this instance is seen by the next request, on another within DataChanges.MostStale.
        // Where the data stands is read first: a change committed after it is then always read again next time.
        var lastChange = await services.GetRequiredService<DataChanges>().LastChangeAsync(db, context.HttpContext.RequestAborted);
        var cache = services.GetRequiredService<IMemoryCache>();
        var key = (typeof(SignInCheck), userId);
        if (!cache.TryGetValue(key, out Account? account) || account!.Stamp != stamp || account.LastChange != lastChange)
        {
            // The same read says whether the account has two-factor login, which the administrators' filter needs on
            // every page of theirs: turning it on or off changes the stamp, so it is as current as the stamp is.
            // So does whether an administrator has reset the password, which must then be changed before anything else.
            account = await db.Users.Where(u => u.Id == userId && u.SecurityStamp == stamp)
                .Select(u => new Account(stamp, u.TwoFactorEnabled,
                    db.UserTokens.Any(t => t.UserId == u.Id && t.LoginProvider == SingleUseAuthenticatorTokenProvider.TokenLoginProvider
                        && t.Name == PasswordChange.TokenName),
                    lastChange))
                .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
            if (account is null)
            {
                cache.Remove(key);
                return false;
            }
            cache.Set(key, account, OutsideChangeSeenWithin);
        }
        context.HttpContext.Items[TwoFactorKey] = account.TwoFactorEnabled;
        context.HttpContext.Items[MustChangePasswordKey] = account.MustChangePassword;
        return true;
    }

    private const string TwoFactorKey = "KneeClinic.SignInCheckTwoFactor";

    private const string MustChangePasswordKey = "KneeClinic.SignInCheckMustChangePassword";

    /// <summary>Whether the signed-in account must change its password, as this request's sign-in check read it; null when it did not run.</summary>
    public static bool? MustChangePassword(HttpContext context) => context.Items[MustChangePasswordKey] as bool?;

    /// <summary>Whether the signed-in account has two-factor login, as this request's sign-in check read it; null when it did not run.</summary>
    public static bool? TwoFactorEnabled(HttpContext context) => context.Items[TwoFactorKey] as bool?;

    /// <summary>Goes right after UseAuthentication: throws again a sign-in check that failed, except while the error page is shown.</summary>
    public static IApplicationBuilder UseSignInCheckFailures(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Items[Failure] is ExceptionDispatchInfo failure && context.Features.Get<IExceptionHandlerFeature>() is null)
            failure.Throw();
        await next(context);
    });
}
