using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// "Confirm it's you": the time the signed-in person last typed their password or a current authenticator code in this
/// session. It is kept in the sign-in cookie's authentication properties (like the sign-in time of <see cref="SessionLimits"/>),
/// so it belongs to this one session, survives the cookie's renewal and a refreshed sign-in, and a new sign-in starts without it.
/// </summary>
public static class RecentConfirmation
{
    public const string ConfirmedAtKey = ".kneeclinic.confirmed";

    /// <summary>How long a confirmation lets the second factor be changed.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static async Task<bool> IsRecentAsync(HttpContext context)
    {
        var auth = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!auth.Succeeded || !DateTimeOffset.TryParse(auth.Properties.GetString(ConfirmedAtKey), CultureInfo.InvariantCulture,
                DateTimeStyles.RoundtripKind, out var confirmedAt))
            return false;
        var age = Now(context) - confirmedAt;
        return age >= TimeSpan.Zero && age < Window;
    }

    /// <summary>Writes the time into this session's cookie, which is issued again with it.</summary>
    public static async Task MarkAsync(HttpContext context)
    {
        var auth = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!auth.Succeeded) return;
        auth.Properties.SetString(ConfirmedAtKey, Now(context).ToString("O", CultureInfo.InvariantCulture));
        await context.SignInAsync(IdentityConstants.ApplicationScheme, auth.Principal, auth.Properties);
    }

    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}

/// <summary>
/// An action that changes the second factor (turning it off, new recovery codes, another authenticator): without a
/// confirmation in the last five minutes it does nothing and sends to the confirmation page, which comes back to the
/// account page.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresRecentConfirmationAttribute : Attribute, IAsyncActionFilter
{
    public const string Message = "To change two-factor login, first confirm it's you. Then press the button again.";

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        if (await RecentConfirmation.IsRecentAsync(context.HttpContext))
        {
            await next();
            return;
        }
        var tempData = context.HttpContext.RequestServices.GetRequiredService<ITempDataDictionaryFactory>().GetTempData(context.HttpContext);
        tempData["Message"] = Message;
        context.Result = new RedirectToActionResult("Confirm", "Manage", new { returnUrl = "/Manage" });
    }
}
