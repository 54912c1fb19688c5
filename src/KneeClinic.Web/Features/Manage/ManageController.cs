using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace KneeClinic.Web.Features.Manage;

/// <summary>A signed-in user's own account: password and two-factor login with an authenticator app.</summary>
public sealed class ManageController(UserManager<ClinicUser> users, SignInManager<ClinicUser> signIn, ClinicDbContext db, UrlEncoder urlEncoder) : Controller
{
    private const string Issuer = "KneeClinic";

    [HttpGet]
    public async Task<IActionResult> Index()
    {
        var user = await CurrentUserAsync();
        return View(new AccountOverview(user.Email ?? "", user.DisplayName, await users.GetTwoFactorEnabledAsync(user),
            await users.CountRecoveryCodesAsync(user), new ChangePasswordForm()));
    }

    [HttpPost]
    public async Task<IActionResult> ChangePassword([Bind(Prefix = "Password")] ChangePasswordForm form)
    {
        var user = await CurrentUserAsync();
        if (ModelState.IsValid)
        {
            var result = await users.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
            if (result.Succeeded)
            {
                await signIn.RefreshSignInAsync(user);
                TempData["Message"] = "Your password has been changed.";
                return RedirectToAction(nameof(Index));
            }
            foreach (var error in result.Errors)
                ModelState.AddModelError("Password." + (error.Code.Contains("Mismatch") ? nameof(form.CurrentPassword) : nameof(form.NewPassword)), error.Description);
        }
        return View(nameof(Index), new AccountOverview(user.Email ?? "", user.DisplayName, await users.GetTwoFactorEnabledAsync(user),
            await users.CountRecoveryCodesAsync(user), form));
    }

    /// <summary>After an administrator's reset: the temporary password, then a new one of the person's own.</summary>
    [HttpGet, AllowWithoutTwoFactor, AllowWhilePasswordChangeRequired]
    public async Task<IActionResult> NewPassword()
    {
        if (!await PasswordChange.IsRequiredAsync(users, await CurrentUserAsync())) return RedirectToAction(nameof(Index));
        return View(new ChangePasswordForm());
    }

    [HttpPost, AllowWithoutTwoFactor, AllowWhilePasswordChangeRequired]
    public async Task<IActionResult> NewPassword([Bind(Prefix = "Password")] ChangePasswordForm form)
    {
        var user = await CurrentUserAsync();
        if (!await PasswordChange.IsRequiredAsync(users, user)) return RedirectToAction(nameof(Index));
        if (ModelState.IsValid)
        {
            // The password policy refuses a new password equal to the current, temporary one.
            var result = await users.ChangePasswordAsync(user, form.CurrentPassword, form.NewPassword);
            if (result.Succeeded) result = await PasswordChange.ClearAsync(users, user);
            if (result.Succeeded)
            {
                await signIn.RefreshSignInAsync(user);
                TempData["Message"] = "Your new password is set.";
                return LocalRedirect("/");
            }
            foreach (var error in result.Errors)
                ModelState.AddModelError("Password." + (error.Code.Contains("Mismatch") ? nameof(form.CurrentPassword) : nameof(form.NewPassword)), error.Description);
        }
        return View(new ChangePasswordForm());
    }

    /// <summary>
    /// Keeps a session alive while someone is typing, and says how long it has left. The page's script calls it at
    /// most once a minute, and when "Stay signed in" is pressed; the sign-in cookie is renewed like on any request.
    /// Signed out (or the session over), the sign-in cookie's handler answers the script's request with 401.
    /// </summary>
    [HttpGet, AllowWithoutTwoFactor, AllowWhilePasswordChangeRequired]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public IActionResult KeepAlive() => Json(new { secondsLeft = SessionLimits.SecondsLeft(HttpContext) });

    /// <summary>
    /// The authenticator's secret is shown while it is being set up, never once two-factor login is on: a stolen session
    /// or an unattended desk must not be able to copy the second factor.
    /// </summary>
    [HttpGet, AllowWithoutTwoFactor]
    public async Task<IActionResult> EnableAuthenticator()
    {
        var user = await CurrentUserAsync();
        return await users.GetTwoFactorEnabledAsync(user) ? AlreadyOn() : View(await SetupAsync(user, new VerifyCodeForm()));
    }

    [HttpPost, AllowWithoutTwoFactor]
    public async Task<IActionResult> EnableAuthenticator(VerifyCodeForm form)
    {
        var user = await CurrentUserAsync();
        if (await users.GetTwoFactorEnabledAsync(user)) return AlreadyOn();
        if (!ModelState.IsValid) return View(await SetupAsync(user, form));

        var code = form.Code.Replace(" ", "").Replace("-", "");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(form.Code), "That code is not right. Check the time on your phone and try the newest code.");
            return View(await SetupAsync(user, form));
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        await db.RecordAsync(AuditEntry.Event(AuditAction.TwoFactorEnabled, "Account", user.Id));
        // Turning two-factor on renews the security stamp; this session, which just proved the code, goes on.
        await signIn.RefreshSignInAsync(user);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? [];
        return View("RecoveryCodes", codes.ToArray());
    }

    private RedirectToActionResult AlreadyOn()
    {
        TempData["Message"] = "Two-factor login is already on. Its key is shown only while it is set up: to use another phone, choose \"Set up another phone\".";
        return RedirectToAction(nameof(Index));
    }

    /// <summary>"Confirm it's you": the password, or a current code from the authenticator app.</summary>
    [HttpGet]
    public async Task<IActionResult> Confirm(string? returnUrl = null)
    {
        var user = await CurrentUserAsync();
        return View(new ConfirmForm { ReturnUrl = returnUrl, HasAuthenticator = await users.GetTwoFactorEnabledAsync(user) });
    }

    /// <summary>
    /// A wrong password or code counts toward the account's lockout like a failed sign-in; the lockout ends this session
    /// too, so a stolen session cannot go on guessing.
    /// </summary>
    [HttpPost]
    public async Task<IActionResult> Confirm(ConfirmForm form)
    {
        var user = await CurrentUserAsync();
        form.HasAuthenticator = await users.GetTwoFactorEnabledAsync(user);
        var code = form.Code?.Replace(" ", "").Replace("-", "");
        if (string.IsNullOrEmpty(form.Password) && string.IsNullOrEmpty(code))
            ModelState.AddModelError("", form.HasAuthenticator ? "Type your password or the code your authenticator app shows." : "Type your password.");
        if (!ModelState.IsValid) return View(form.WithoutSecrets());

        if (await users.IsLockedOutAsync(user)) return await LockedOutAsync(user);
        var right = !string.IsNullOrEmpty(code) && form.HasAuthenticator
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : !string.IsNullOrEmpty(form.Password) && await users.CheckPasswordAsync(user, form.Password);
        if (right)
        {
            await users.ResetAccessFailedCountAsync(user);
            await RecentConfirmation.MarkAsync(HttpContext);
            TempData["Message"] = "Thank you. For the next five minutes you can change two-factor login.";
            return LocalRedirect(!string.IsNullOrEmpty(form.ReturnUrl) && Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/Manage");
        }
        await users.AccessFailedAsync(user);
        if (await users.IsLockedOutAsync(user)) return await LockedOutAsync(user);
        await db.RecordAsync(AuditEntry.Event(AuditAction.SignInFailed, "Account", user.Id, details: """{"Step":"confirm it's you"}"""));
        ModelState.AddModelError("", !string.IsNullOrEmpty(code) && form.HasAuthenticator
            ? "That code is not right or has been used already. Codes change every 30 seconds."
            : "That password is not right.");
        return View(form.WithoutSecrets());
    }

    private async Task<IActionResult> LockedOutAsync(ClinicUser user)
    {
        await users.UpdateSecurityStampAsync(user); // ends this session and any other
        await db.RecordAsync(AuditEntry.Event(AuditAction.LockedOut, "Account", user.Id, details: """{"Step":"confirm it's you"}"""));
        await signIn.SignOutAsync();
        return RedirectToAction("Lockout", "Account");
    }

    /// <summary>Another phone: the old key stops working at once and two-factor login is set up again from the start.</summary>
    [HttpPost, RequiresRecentConfirmation]
    public async Task<IActionResult> ResetAuthenticator()
    {
        var user = await CurrentUserAsync();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await db.RecordAsync(AuditEntry.Event(AuditAction.TwoFactorDisabled, "Account", user.Id, details: """{"Step":"set up another phone"}"""));
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "The old authenticator no longer works. Set up the new phone now.";
        return RedirectToAction(nameof(EnableAuthenticator));
    }

    [HttpPost, RequiresRecentConfirmation]
    public async Task<IActionResult> DisableTwoFactor()
    {
        var user = await CurrentUserAsync();
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await db.RecordAsync(AuditEntry.Event(AuditAction.TwoFactorDisabled, "Account", user.Id));
        await signIn.RefreshSignInAsync(user);
        TempData["Message"] = "Two-factor login is off. You can set it up again at any time.";
        return RedirectToAction(nameof(Index));
    }

    [HttpPost, RequiresRecentConfirmation]
    public async Task<IActionResult> NewRecoveryCodes()
    {
        var user = await CurrentUserAsync();
        if (!await users.GetTwoFactorEnabledAsync(user)) return RedirectToAction(nameof(Index));
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? [];
        return View("RecoveryCodes", codes.ToArray());
    }

    private async Task<ClinicUser> CurrentUserAsync() =>
        await users.GetUserAsync(User) ?? throw new InvalidOperationException("Signed-in user not found.");

    /// <summary>The shared key and its QR code, rendered here as SVG so no script or third party sees the secret.</summary>
    private async Task<AuthenticatorSetup> SetupAsync(ClinicUser user, VerifyCodeForm form)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            // The reset renews the security stamp, which would end this very session at its next request.
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }
        var uri = $"otpauth://totp/{urlEncoder.Encode(Issuer)}:{urlEncoder.Encode(user.Email ?? "")}?secret={key}&issuer={urlEncoder.Encode(Issuer)}&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        var grouped = string.Join(" ", key.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        return new AuthenticatorSetup(grouped, svg, form);
    }
}

public sealed record AccountOverview(string Email, string DisplayName, bool TwoFactorEnabled, int RecoveryCodesLeft, ChangePasswordForm Password);

public sealed record AuthenticatorSetup(string SharedKey, string QrCodeSvg, VerifyCodeForm Form);

public sealed class ChangePasswordForm
{
    [Required, DataType(DataType.Password), Display(Name = "Current password"), StringLength(256)]
    public string CurrentPassword { get; set; } = "";

    [Required, DataType(DataType.Password), Display(Name = "New password"), StringLength(256, MinimumLength = 12,
        ErrorMessage = "The new password must be at least 12 characters.")]
    public string NewPassword { get; set; } = "";

    [DataType(DataType.Password), Display(Name = "Repeat new password"), Compare(nameof(NewPassword), ErrorMessage = "The two new passwords are not the same.")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ConfirmForm
{
    [DataType(DataType.Password), StringLength(256)]
    public string? Password { get; set; }

    [StringLength(12), Display(Name = "Code from the app")]
    public string? Code { get; set; }

    public string? ReturnUrl { get; set; }

    /// <summary>Whether the account has an authenticator, so the page offers the code; read from the account, never posted.</summary>
    [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
    public bool HasAuthenticator { get; set; }

    public ConfirmForm WithoutSecrets()
    {
        Password = null;
        Code = null;
        return this;
    }
}

public sealed class VerifyCodeForm
{
    [Required, StringLength(12, MinimumLength = 6), Display(Name = "Code from the app")]
    public string Code { get; set; } = "";
}
