using System.ComponentModel.DataAnnotations;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Staff;

/// <summary>Administrators create staff accounts, assign roles, and disable or re-enable accounts.</summary>
[Authorize(Policy = Startup.AdministrationPolicy)]
public sealed class StaffController(UserManager<ClinicUser> users, TimeProvider clock) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index()
    {
        var staff = await users.Users.OrderBy(u => u.DisplayName).ToListAsync();
        var rows = new List<StaffRow>();
        foreach (var user in staff)
            rows.Add(new StaffRow(user.Id, user.DisplayName, user.Email ?? "", await users.GetRolesAsync(user), user.IsDisabled,
                await users.IsLockedOutAsync(user), user.TwoFactorEnabled));
        return View(rows);
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
