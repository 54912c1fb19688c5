using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The sign-in cookie is checked against the database on every request (a disabled account is signed out at once).
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
            await SecurityStampValidator.ValidatePrincipalAsync(context);
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            context.RejectPrincipal();
            context.HttpContext.Items[Failure] = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>Goes right after UseAuthentication: throws again a sign-in check that failed, except while the error page is shown.</summary>
    public static IApplicationBuilder UseSignInCheckFailures(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Items[Failure] is ExceptionDispatchInfo failure && context.Features.Get<IExceptionHandlerFeature>() is null)
            failure.Throw();
        await next(context);
    });
}
