using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Staff;

/// <summary>Administrators create staff accounts, assign roles, and disable or re-enable accounts.</summary>
[Authorize(Policy = Startup.AdministrationPolicy)]
public sealed class StaffController(UserManager<ClinicUser> users, ClinicDbContext db, TimeProvider clock) : Controller
{
    public const int PageSize = 50;

    /// <summary>A page of accounts by name, each with its roles: one statement for the page, however many roles.</summary>
    [HttpGet]
    public async Task<IActionResult> Index(StaffPageRequest request)
    {
        var now = clock.GetUtcNow();
        var accounts = db.Users.AsNoTracking();
        var order = Keyset.OrderBy(accounts, u => u.DisplayName).ThenBy(u => u.Id);
        var page = await Keyset.PageAsync(accounts, order, u => u.Id, (string text, out string id) => (id = text) is not null, request, PageSize,
            u => new
            {
                u.Id,
                u.DisplayName,
                u.Email,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                u.DisabledAt,
                u.LockoutEnabled,
                u.LockoutEnd,
                u.TwoFactorEnabled,
            });
        var rows = page.Rows.Select(u => new StaffRow(u.Id, u.DisplayName, u.Email ?? "", [.. u.Roles.Order(StringComparer.Ordinal)], u.DisabledAt is not null,
            u.LockoutEnabled && u.LockoutEnd > now, u.TwoFactorEnabled)).ToList();
        return View(new StaffList(new KeysetPage<StaffRow>(rows, page.HasPrevious, page.HasNext, page.CursorLost)));
    }

    [HttpGet]
    public IActionResult Create() => View(new NewStaffForm());

    [HttpPost]
    public async Task<IActionResult> Create(NewStaffForm form)
    {
        RequireARole(form);
        if (!ModelState.IsValid) return View(form);
        if (await users.FindByEmailAsync(form.Email) is not null)
        {
            ModelState.AddModelError(nameof(form.Email), "An account with this email already exists.");
            return View(form);
        }

        var user = new ClinicUser { UserName = form.Email, Email = form.Email, EmailConfirmed = true, DisplayName = form.DisplayName.Trim() };
        var result = await users.CreateAsync(user, form.InitialPassword);
        if (result.Succeeded) result = await users.AddToRolesAsync(user, form.SelectedRoles());
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code.StartsWith("Password", StringComparison.Ordinal) ? nameof(form.InitialPassword) : "", error.Description);
            if (await users.FindByIdAsync(user.Id) is { } partial) await users.DeleteAsync(partial);
            return View(form);
        }
        TempData["Message"] = $"Account created for {user.DisplayName}. Give them the initial password in person; they can change it under My account.";
        return RedirectToAction(nameof(Index));
    }

    [HttpGet]
    public async Task<IActionResult> Edit(string id)
    {
        if (await users.FindByIdAsync(id) is not { } user) return NotFound();
        var roles = await users.GetRolesAsync(user);
        return View(new EditStaffForm
        {
            Id = user.Id,
            Email = user.Email ?? "",
            DisplayName = user.DisplayName,
            Administrator = roles.Contains(Roles.Administrator),
            Clinician = roles.Contains(Roles.Clinician),
            IsDisabled = user.IsDisabled,
        });
    }

    [HttpPost]
    public async Task<IActionResult> Edit(EditStaffForm form)
    {
        if (await users.FindByIdAsync(form.Id) is not { } user) return NotFound();
        form.Email = user.Email ?? "";
        form.IsDisabled = user.IsDisabled;
        RequireARole(form);
        if (user.Id == users.GetUserId(User) && !form.Administrator)
            ModelState.AddModelError(nameof(form.Administrator), "You cannot remove your own administrator role.");
        if (!ModelState.IsValid) return View(form);

        user.DisplayName = form.DisplayName.Trim();
        var current = await users.GetRolesAsync(user);
        var wanted = form.SelectedRoles();
        var result = await users.UpdateAsync(user);
        if (result.Succeeded && current.Except(wanted).ToList() is { Count: > 0 } removed)
            result = await users.RemoveFromRolesAsync(user, removed);
        if (result.Succeeded && wanted.Except(current).ToList() is { Count: > 0 } added)
            result = await users.AddToRolesAsync(user, added);
        // A role change ends the person's current sessions, so new rights apply at once.
        if (result.Succeeded && !current.ToHashSet().SetEquals(wanted))
            result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) ModelState.AddModelError("", error.Description);
            return View(form);
        }
        TempData["Message"] = $"Saved {user.DisplayName}.";
        return RedirectToAction(nameof(Index));
    }

    /// <summary>
    /// Disabling ends the person's sessions at once, so the button on the list only asks: a post without
    /// <paramref name="confirmed"/> is answered with the page that says what will happen, whose button confirms.
    /// </summary>
    [HttpPost]
    public async Task<IActionResult> Disable(string id, bool confirmed = false)
    {
        if (await users.FindByIdAsync(id) is not { } user) return NotFound();
        if (user.Id == users.GetUserId(User))
        {
            TempData["Message"] = "You cannot disable your own account.";
            return RedirectToAction(nameof(Index));
        }
        if (user.IsDisabled)
        {
            TempData["Message"] = $"{user.DisplayName} is already disabled.";
            return RedirectToAction(nameof(Index));
        }
        if (!confirmed) return View("ConfirmDisable", new DisableConfirmation(user.Id, user.DisplayName, user.Email ?? ""));
        user.DisabledAt = clock.GetUtcNow();
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user); // ends any session the person has open
        TempData["Message"] = $"{user.DisplayName} can no longer log in.";
        return RedirectToAction(nameof(Index));
    }

    /// <summary>
    /// A temporary password for someone who cannot sign in: asked first (a post without <paramref name="confirmed"/>
    /// shows what will happen), then set, shown once on the answer and never stored readable. It ends the person's
    /// sessions, lifts a lockout, must be changed at their next sign-in, and is audited without the password.
    /// </summary>
    [HttpPost]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public async Task<IActionResult> ResetPassword(string id, bool confirmed = false)
    {
        if (await users.FindByIdAsync(id) is not { } user) return NotFound();
        if (user.Id == users.GetUserId(User))
        {
            TempData["Message"] = "You cannot reset your own password here. Change it under My account.";
            return RedirectToAction(nameof(Edit), new { id });
        }
        var who = new DisableConfirmation(user.Id, user.DisplayName, user.Email ?? "");
        if (!confirmed) return View("ConfirmResetPassword", who);

        var temporary = PasswordChange.NewTemporaryPassword();
        // Identity's reset sets the password through the password rules and renews the security stamp, ending every session.
        var result = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), temporary);
        if (result.Succeeded) result = await PasswordChange.RequireAsync(users, user);
        if (result.Succeeded) result = await users.SetLockoutEndDateAsync(user, null);
        if (result.Succeeded) result = await users.ResetAccessFailedCountAsync(user);
        if (!result.Succeeded)
        {
            TempData["Message"] = "The password could not be reset: " + string.Join(" ", result.Errors.Select(e => e.Description));
            return RedirectToAction(nameof(Edit), new { id });
        }
        await db.RecordAsync(AuditEntry.Event(AuditAction.PasswordReset, "Account", user.Id,
            details: JsonSerializer.Serialize(new { Account = user.Email, How = "temporary password" })));
        return View("TemporaryPassword", new TemporaryPasswordShown(who, temporary));
    }

    [HttpPost]
    public async Task<IActionResult> Enable(string id)
    {
        if (await users.FindByIdAsync(id) is not { } user) return NotFound();
        user.DisabledAt = null;
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        TempData["Message"] = $"{user.DisplayName} can log in again.";
        return RedirectToAction(nameof(Index));
    }

    private void RequireARole(StaffRolesForm form)
    {
        if (form.SelectedRoles().Count == 0)
            ModelState.AddModelError(nameof(form.Clinician), "Choose at least one role.");
    }
}

public sealed record DisableConfirmation(string Id, string DisplayName, string Email);

public sealed record TemporaryPasswordShown(DisableConfirmation Account, string Password);

/// <summary>Where the staff list starts: the account id a page follows or precedes (see <see cref="Keyset"/>).</summary>
public sealed class StaffPageRequest : PagedRequest;

public sealed record StaffList(KeysetPage<StaffRow> Page)
{
    public IReadOnlyList<StaffRow> Rows => Page.Rows;

    public Pager Pager => Pager.Of(Page, r => r.Id, new Dictionary<string, string>(), post: false);
}

public sealed record StaffRow(string Id, string DisplayName, string Email, IList<string> Roles, bool IsDisabled, bool IsLockedOut, bool TwoFactor);

public abstract class StaffRolesForm
{
    [Required, StringLength(100), Display(Name = "Full name")]
    public string DisplayName { get; set; } = "";

    public bool Administrator { get; set; }
    public bool Clinician { get; set; }

    public List<string> SelectedRoles() =>
        [.. Administrator ? [Roles.Administrator] : Array.Empty<string>(), .. Clinician ? [Roles.Clinician] : Array.Empty<string>()];
}

public sealed class NewStaffForm : StaffRolesForm
{
    [Required, EmailAddress, StringLength(256)]
    public string Email { get; set; } = "";

    [Required, DataType(DataType.Password), StringLength(256, MinimumLength = 12, ErrorMessage = "The initial password must be at least 12 characters."),
     Display(Name = "Initial password")]
    public string InitialPassword { get; set; } = "";
}

public sealed class EditStaffForm : StaffRolesForm
{
    [Required]
    public string Id { get; set; } = "";

    public string Email { get; set; } = "";
    public bool IsDisabled { get; set; }
}
