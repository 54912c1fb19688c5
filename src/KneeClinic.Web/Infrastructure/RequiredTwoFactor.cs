using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>An action a person without two-factor login may still use where it is required: the authenticator set-up itself.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowWithoutTwoFactorAttribute : Attribute;

/// <summary>
/// With Security:RequireTwoFactorForAdministrators (or Security:RequireTwoFactorForClinicians) on, a signed-in
/// administrator (or clinician) whose account has no authenticator is sent to set one up, from every page but the
/// set-up, sign-in and error pages.
/// </summary>
public sealed class RequiredTwoFactorFilter(IOptions<SecurityOptions> options, UserManager<ClinicUser> users,
    ITempDataDictionaryFactory tempData) : IAsyncAuthorizationFilter
{
    public const string AdministratorMessage = "Administrators must use two-factor login. Set up an authenticator app to continue.";
    public const string ClinicianMessage = "Clinicians must use two-factor login: your account opens patient records. Set up an authenticator app to continue.";

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var principal = context.HttpContext.User;
        if (principal.Identity?.IsAuthenticated != true) return;
        var message = options.Value.RequireTwoFactorForAdministrators && principal.IsInRole(Roles.Administrator) ? AdministratorMessage
            : options.Value.RequireTwoFactorForClinicians && principal.IsInRole(Roles.Clinician) ? ClinicianMessage
            : null;
        if (message is null) return;
        var metadata = context.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || metadata.OfType<AllowWithoutTwoFactorAttribute>().Any()) return;
        // The sign-in check read it with the security stamp in this request; the account is read again only when it did not run.
        var enabled = SignInCheck.TwoFactorEnabled(context.HttpContext)
            ?? (await users.GetUserAsync(principal) is { } user ? await users.GetTwoFactorEnabledAsync(user) : (bool?)null);
        if (enabled != false) return;

        // Saved here: the result filters that save TempData do not run when an authorization filter answers.
        var data = tempData.GetTempData(context.HttpContext);
        data["Message"] = message;
        data.Save();
        context.Result = new RedirectToActionResult("EnableAuthenticator", "Manage", null);
    }
}
