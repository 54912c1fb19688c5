using System.Security.Cryptography;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// A password an administrator set (a temporary one) must be replaced at the next sign-in. The mark is one of the
/// account's Identity tokens, so it needs no column of its own; the sign-in check reads it with the security stamp.
/// </summary>
public static class PasswordChange
{
    public const string TokenName = "MustChangePassword";

    public static Task<IdentityResult> RequireAsync(UserManager<ClinicUser> users, ClinicUser user) =>
        users.SetAuthenticationTokenAsync(user, SingleUseAuthenticatorTokenProvider.TokenLoginProvider, TokenName, "1");

    public static Task<IdentityResult> ClearAsync(UserManager<ClinicUser> users, ClinicUser user) =>
        users.RemoveAuthenticationTokenAsync(user, SingleUseAuthenticatorTokenProvider.TokenLoginProvider, TokenName);

    public static async Task<bool> IsRequiredAsync(UserManager<ClinicUser> users, ClinicUser user) =>
        await users.GetAuthenticationTokenAsync(user, SingleUseAuthenticatorTokenProvider.TokenLoginProvider, TokenName) is not null;

    /// <summary>
    /// 16 random letters and digits in groups of four (about 78 bits), without the look-alikes 0/o, 1/l/i, so it can be
    /// read out or copied by hand once.
    /// </summary>
    public static string NewTemporaryPassword() =>
        string.Join("-", RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 16).Chunk(4).Select(c => new string(c)));
}

/// <summary>An action a person whose password must be changed may still use: the change itself, and keeping the session alive.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowWhilePasswordChangeRequiredAttribute : Attribute;

/// <summary>Sends a signed-in person with a temporary password to choose their own, from every page but that one, sign-out and errors.</summary>
public sealed class PasswordChangeRequiredFilter(UserManager<ClinicUser> users) : IAsyncAuthorizationFilter
{
    public const string Message = "An administrator has reset your password. Choose a new one of your own to continue.";

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var principal = context.HttpContext.User;
        if (principal.Identity?.IsAuthenticated != true) return;
        var metadata = context.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any() || metadata.OfType<AllowWhilePasswordChangeRequiredAttribute>().Any()) return;
        var required = SignInCheck.MustChangePassword(context.HttpContext)
            ?? (await users.GetUserAsync(principal) is { } user && await PasswordChange.IsRequiredAsync(users, user));
        if (required) context.Result = new RedirectToActionResult("NewPassword", "Manage", null);
    }
}
