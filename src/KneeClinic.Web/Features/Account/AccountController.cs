using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Account;

/// <summary>Sign-in, two-factor sign-in and sign-out. There is no self-registration: administrators create accounts.</summary>
[AllowAnonymous]
public sealed class AccountController(SignInManager<ClinicUser> signIn, ClinicDbContext db, ILogger<AccountController> logger) : Controller
{
    private UserManager<ClinicUser> Users => signIn.UserManager;

    [HttpGet]
    public IActionResult Login(string? returnUrl = null) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost, LoginRateLimited]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid) return View(form);

        // lockoutOnFailure: the fifth wrong password locks the account for 15 minutes.
        var result = await signIn.PasswordSignInAsync(form.Email, form.Password, isPersistent: false, lockoutOnFailure: true);
        var user = await signIn.UserManager.FindByEmailAsync(form.Email);
        if (result.Succeeded)
        {
            await AuditSignInAsync(AuditAction.SignedIn, user, "password");
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }
        if (result.RequiresTwoFactor) return RedirectToAction(nameof(LoginWith2fa), new { form.ReturnUrl });
        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: account locked out");
            await AuditSignInAsync(AuditAction.LockedOut, user, "password", form.Email);
            return RedirectToAction(nameof(Lockout));
        }
        await AuditSignInAsync(AuditAction.SignInFailed, user, "password", form.Email);
        ModelState.AddModelError("", "The email or password is not right, or the account is disabled.");
        return View(form);
    }

    [HttpGet]
    public async Task<IActionResult> LoginWith2fa(string? returnUrl = null) =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null
            ? RedirectToAction(nameof(Login))
            : View(new TwoFactorForm { ReturnUrl = returnUrl });

    [HttpPost]
    public async Task<IActionResult> LoginWith2fa(TwoFactorForm form)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user) return RedirectToAction(nameof(Login));
        if (!ModelState.IsValid) return View(form);

        var code = form.Code.Replace(" ", "").Replace("-", "");
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await AuditSignInAsync(AuditAction.SignedIn, user, "password and authenticator code");
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }
        await AuditSignInAsync(result.IsLockedOut ? AuditAction.LockedOut : AuditAction.SignInFailed, user, "authenticator code", user.Email);
        if (result.IsLockedOut) return RedirectToAction(nameof(Lockout));
        ModelState.AddModelError(nameof(form.Code), "That code is not right or has been used already. Codes change every 30 seconds.");
        return View(form);
    }

    [HttpGet]
    public async Task<IActionResult> LoginWithRecoveryCode(string? returnUrl = null) =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null
            ? RedirectToAction(nameof(Login))
            : View(new RecoveryCodeForm { ReturnUrl = returnUrl });

    [HttpPost]
    public async Task<IActionResult> LoginWithRecoveryCode(RecoveryCodeForm form)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user) return RedirectToAction(nameof(Login));
        if (!ModelState.IsValid) return View(form);

        // Identity's recovery-code sign-in neither checks the lockout nor counts a wrong code toward it, so ten codes could
        // be tried for each password the lockout allows: a recovery code is a second factor like the authenticator's.
        if (await Users.IsLockedOutAsync(user))
        {
            await AuditSignInAsync(AuditAction.LockedOut, user, "recovery code", user.Email);
            return RedirectToAction(nameof(Lockout));
        }
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(form.RecoveryCode.Replace(" ", ""));
        if (result.Succeeded)
        {
            await Users.ResetAccessFailedCountAsync(user);
            await AuditSignInAsync(AuditAction.SignedIn, user, "password and recovery code");
            return LocalRedirect(SafeReturnUrl(form.ReturnUrl));
        }
        await Users.AccessFailedAsync(user);
        var lockedOut = await Users.IsLockedOutAsync(user);
        await AuditSignInAsync(lockedOut ? AuditAction.LockedOut : AuditAction.SignInFailed, user, "recovery code", user.Email);
        if (lockedOut) return RedirectToAction(nameof(Lockout));
        ModelState.AddModelError(nameof(form.RecoveryCode), "That recovery code is not right or has been used.");
        return View(form);
    }

    [HttpGet]
    public IActionResult Lockout() => View();

    [HttpPost]
    public async Task<IActionResult> Logout()
    {
        // A new security stamp makes every copy of this user's cookie worthless, not just the one the browser drops.
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
            await AuditSignInAsync(AuditAction.SignedOut, user, "sign-out");
        }
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(Login));
    }

    /// <summary>
    /// Sign-ins, failures, lockouts and sign-outs go into the audit trail under the account they concern. A success
    /// or sign-out is the account holder's own act; a failure or lockout is an anonymous attempt on the account,
    /// recorded with the email as typed.
    /// </summary>
    private static readonly JsonSerializerOptions DetailsJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private Task AuditSignInAsync(AuditAction action, ClinicUser? user, string step, string? typedEmail = null)
    {
        var own = action is AuditAction.SignedIn or AuditAction.SignedOut;
        // Identity saves its own changes to the account at once; what is still pending here is a change it could not save
        // (a wrong code counted by two requests for one account at the same moment: the second loses on the account's
        // concurrency stamp). The event is recorded on its own, never with that change saved blind.
        db.ChangeTracker.Clear();
        var details = JsonSerializer.Serialize(new { Step = step, Email = typedEmail }, DetailsJson);
        return db.RecordAsync(AuditEntry.Event(action, "Account", user?.Id ?? "", details: details,
            userId: own ? user?.Id : null, userName: own ? user?.UserName : "anonymous"));
    }

    private string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}

public sealed class LoginForm
{
    [Required, EmailAddress, StringLength(256)]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password), StringLength(256)]
    public string Password { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

public sealed class TwoFactorForm
{
    [Required, StringLength(12, MinimumLength = 6), Display(Name = "Authenticator code")]
    public string Code { get; set; } = "";

    public string? ReturnUrl { get; set; }
}

public sealed class RecoveryCodeForm
{
    [Required, StringLength(32), Display(Name = "Recovery code")]
    public string RecoveryCode { get; set; } = "";

    public string? ReturnUrl { get; set; }
}
