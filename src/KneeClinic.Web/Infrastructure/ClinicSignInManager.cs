using System.Diagnostics;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Refuses sign-in to accounts an administrator has disabled, on every sign-in path; and answers a user name no account
/// has as it would a real account with a wrong password (<see cref="UnknownAccounts"/>), so accounts cannot be found by trying.
/// </summary>
public sealed class ClinicSignInManager(
    UserManager<ClinicUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ClinicUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ClinicUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ClinicUser> confirmation,
    UnknownAccounts unknownAccounts)
    : SignInManager<ClinicUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ClinicUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is not { } user)
            return await unknownAccounts.SignInAsync(UserManager.NormalizeName(userName), password, UserManager.PasswordHasher);
        var started = Stopwatch.GetTimestamp();
        var result = await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        // A plain wrong password: hashed and counted, what an unknown name is made to cost.
        if (result is { Succeeded: false, IsLockedOut: false, IsNotAllowed: false, RequiresTwoFactor: false }) unknownAccounts.RealFailureTook(Stopwatch.GetElapsedTime(started));
        return result;
    }
}
