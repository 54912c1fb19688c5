using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// An administrator resets a colleague's password: a temporary one shown once, the colleague's sessions ended and a
/// lockout lifted, a new password of their own required before any other page, and the reset audited without it.
/// </summary>
public sealed class AdministratorPasswordReset(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private const string NewPasswordPage = "/Manage/NewPassword";

    [Fact]
    public async Task ATemporaryPasswordMustBeReplacedAtTheNextSignInAndTheResetIsAudited()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var email = $"forgetful-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        using var earlier = factory.Session();
        await earlier.LogInAsync(email, ClinicFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await earlier.GetAsync("/Patients")).Status);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(user.Id))!, factory.Clock.GetUtcNow().AddMinutes(10));
        }

        var edit = await admin.GetAsync($"/Staff/Edit/{user.Id}");
        var asked = await admin.SubmitAsync(edit, "#reset-password");
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains("must choose a new password", asked.Document.QuerySelector("#reset-consequence")!.TextContent);
        Assert.Equal(1, await factory.QueryAsync(db => db.Users.CountAsync(u => u.Id == user.Id && u.PasswordHash == user.PasswordHash)));
        var shown = await admin.SubmitAsync(asked, "#confirm-reset-password");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Contains("no-store", shown.Response.Headers.CacheControl!.ToString());
        var temporary = shown.Document.QuerySelector("#temporary-password")!.TextContent.Trim();
        Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$", temporary);

        // The session the person had open has ended, and the old password no longer works.
        Assert.Contains("/Account/Login", (await earlier.GetAsync("/Patients")).Location);
        using var own = factory.Session();
        Assert.Equal(HttpStatusCode.OK, (await own.LogInAsync(email, ClinicFactory.Password)).Status);

        // The temporary password signs in (the lockout is lifted), but every page sends to the new-password page.
        Assert.Equal("/", (await own.LogInAsync(email, temporary)).Location);
        foreach (var url in new[] { "/", "/Patients", "/Manage", "/Manage/EnableAuthenticator" })
            Assert.Equal(NewPasswordPage, (await own.GetAsync(url)).Location);
        var page = await own.GetAsync(NewPasswordPage);
        Assert.Contains(PasswordChangeRequiredFilter.Message, page.Document.Body!.TextContent);
        Assert.Equal(NewPasswordPage, (await own.PostAsync(page, "/Manage/ChangePassword", Fields(("Password.CurrentPassword", temporary),
            ("Password.NewPassword", "a phrase I chose myself"), ("Password.ConfirmPassword", "a phrase I chose myself")))).Location);

        var same = await own.SubmitAsync(page, $"form[action='{NewPasswordPage}']", Fields(("Password.CurrentPassword", temporary),
            ("Password.NewPassword", temporary), ("Password.ConfirmPassword", temporary)));
        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Contains("The new password must differ from the current one.", same.Errors);

        var done = await own.SubmitAsync(same, $"form[action='{NewPasswordPage}']", Fields(("Password.CurrentPassword", temporary),
            ("Password.NewPassword", "a phrase I chose myself"), ("Password.ConfirmPassword", "a phrase I chose myself")));
        Assert.Equal("/", done.Location);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync("/Patients")).Status);
        Assert.Equal("/Manage", (await own.GetAsync(NewPasswordPage)).Location);
        using var later = factory.Session();
        Assert.Equal("/", (await later.LogInAsync(email, "a phrase I chose myself")).Location);
        Assert.Equal(HttpStatusCode.OK, (await later.GetAsync("/Patients")).Status);

        var adminIds = await factory.QueryAsync(db => db.Users.Where(u => u.Email!.StartsWith("administrator-")).OrderByDescending(u => u.Id)
            .Select(u => u.Id).ToListAsync());
        var reset = await factory.QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditAction.PasswordReset && e.EntityId == user.Id).ToListAsync());
        var entry = Assert.Single(reset);
        Assert.Contains(entry.UserId, adminIds);
        Assert.StartsWith("administrator-", entry.UserName);
        Assert.Contains(email, entry.NewValues);
        Assert.False(await factory.QueryAsync(db => db.AuditEntries.AnyAsync(e => e.NewValues!.Contains(temporary) || e.OldValues!.Contains(temporary))));
    }

    [Fact]
    public async Task AnAdministratorCannotResetTheirOwnPasswordHereAndAClinicianCannotResetAtAll()
    {
        var email = $"administrator-{Guid.NewGuid():N}@clinic.test";
        var self = await factory.CreateUserAsync(email, Roles.Administrator);
        using var admin = factory.Session();
        await admin.LogInAsync(email, ClinicFactory.Password);
        var edit = await admin.GetAsync($"/Staff/Edit/{self.Id}");
        var refused = await admin.SubmitAsync(edit, "#reset-password", extra: [new("confirmed", "true")]);
        Assert.Equal($"/Staff/Edit/{self.Id}", refused.Location);
        Assert.Contains("You cannot reset your own password here", (await admin.FollowAsync(refused)).Document.Body!.TextContent);

        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        var page = await clinician.GetAsync("/Patients");
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.PostAsync(page, $"/Staff/ResetPassword/{self.Id}", Fields(("confirmed", "true")))).Status);
        using var stillWorks = factory.Session();
        Assert.Equal("/", (await stillWorks.LogInAsync(email, ClinicFactory.Password)).Location);
    }
}
