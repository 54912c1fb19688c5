using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>Refuses sign-in to accounts an administrator has disabled, on every sign-in path.</summary>
public sealed class ClinicSignInManager(
    UserManager<ClinicUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ClinicUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ClinicUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ClinicUser> confirmation)
    : SignInManager<ClinicUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ClinicUser user) =>
        !user.IsDisabled && await base.CanSignInAsync(user);
}
