using System.Net;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

public sealed class StaffAdministration(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private async Task<string[]> RolesOfAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        return [.. await users.GetRolesAsync((await users.FindByEmailAsync(email))!)];
    }

    [Fact]
    public async Task AnAdministratorCreatesAClinicianWhoCanThenLogIn()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var email = $"new-{Guid.NewGuid():N}@clinic.test";
        var form = await admin.GetAsync("/Staff/Create");

        var created = await admin.SubmitAsync(form, "form[action='/Staff/Create']", Fields(
            ("DisplayName", "Dr Ana Nueva"), ("Email", email), ("InitialPassword", "twelve chars ok"), ("Clinician", "true")));

        Assert.Equal("/Staff", created.Location);
        Assert.Contains("Dr Ana Nueva", (await admin.GetAsync("/Staff")).Text);
        Assert.Equal([Roles.Clinician], await RolesOfAsync(email));
        using var newcomer = factory.Session();
        Assert.Equal("/", (await newcomer.LogInAsync(email, "twelve chars ok")).Location);
    }

    [Fact]
    public async Task TheStaffFormExplainsWhatIsWrongAndCreatesNobody()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var before = await factory.QueryAsync(db => db.Users.CountAsync());
        var form = await admin.GetAsync("/Staff/Create");

        var page = await admin.SubmitAsync(form, "form[action='/Staff/Create']", Fields(
            ("DisplayName", ""), ("Email", "nobody@clinic.test"), ("InitialPassword", "short")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("The Full name field is required.", page.Errors);
        Assert.Contains("The initial password must be at least 12 characters.", page.Errors);
        Assert.Contains("Choose at least one role.", page.Errors);
        Assert.Equal(before, await factory.QueryAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task ADisabledAccountIsSignedOutAtOnceAndCannotLogInUntilReEnabled()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var email = $"leaver-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        using var leaver = factory.Session();
        await leaver.LogInAsync(email, ClinicFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await leaver.GetAsync("/Patients")).Status);

        var list = await admin.GetAsync("/Staff");
        var asked = await admin.SubmitAsync(list, $"form[action='/Staff/Disable/{user.Id}']");
        await admin.SubmitAsync(asked, "#confirm-disable");

        Assert.Equal(HttpStatusCode.Redirect, (await leaver.GetAsync("/Patients")).Status);
        var refused = await leaver.LogInAsync(email, ClinicFactory.Password);
        Assert.Contains(refused.Errors, e => e.Contains("disabled"));
        Assert.Contains("Disabled", (await admin.GetAsync("/Staff")).Text);

        list = await admin.GetAsync("/Staff");
        await admin.SubmitAsync(list, $"form[action='/Staff/Enable/{user.Id}']");
        Assert.Equal("/", (await leaver.LogInAsync(email, ClinicFactory.Password)).Location);
    }

    [Fact]
    public async Task DisablingAsksFirstAndAPostWithoutTheConfirmationChangesNothing()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var email = $"asked-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        using var person = factory.Session();
        await person.LogInAsync(email, ClinicFactory.Password);
        var list = await admin.GetAsync("/Staff");

        var asked = await admin.SubmitAsync(list, $"form[action='/Staff/Disable/{user.Id}']");

        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains($"Disabling {user.DisplayName} ({email}) ends their sessions at once and they can no longer sign in.",
            asked.Document.QuerySelector("#disable-consequence")!.TextContent.ReplaceLineEndings(" ").Replace("  ", " "));
        Assert.Null(await DisabledAtAsync());
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/Patients")).Status);

        // Posted by hand without the flag (or with it false): the same page again, still nothing done.
        var crafted = await admin.PostAsync(list, $"/Staff/Disable/{user.Id}", Fields(("confirmed", "false")));
        Assert.NotNull(crafted.Document.QuerySelector("#confirm-disable"));
        Assert.Null(await DisabledAtAsync());

        var done = await admin.SubmitAsync(asked, "#confirm-disable");
        Assert.Equal("/Staff", done.Location);
        Assert.NotNull(await DisabledAtAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await person.GetAsync("/Patients")).Status);
        Assert.Contains($"{user.DisplayName} can no longer log in.", (await admin.FollowAsync(done)).Text);

        Task<DateTimeOffset?> DisabledAtAsync() => factory.QueryAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.DisabledAt).SingleAsync());
    }

    [Fact]
    public async Task ChangingRolesTakesEffectOnTheNextRequest()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var email = $"promoted-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        using var person = factory.Session();
        await person.LogInAsync(email, ClinicFactory.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync("/Staff")).Status);

        var edit = await admin.GetAsync($"/Staff/Edit/{user.Id}");
        var saved = await admin.SubmitAsync(edit, "form[action^='/Staff/Edit']", Fields(("Administrator", "true"), ("Clinician", null)));

        Assert.Equal("/Staff", saved.Location);
        Assert.Equal([Roles.Administrator], await RolesOfAsync(email));
        // The role change renewed the security stamp: the old session is over, a new one has the new role.
        Assert.Equal(HttpStatusCode.Redirect, (await person.GetAsync("/Staff")).Status);
        await person.LogInAsync(email, ClinicFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/Staff")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync("/Patients")).Status);
    }

    [Fact]
    public async Task AnAdministratorCannotLockThemselvesOut()
    {
        var email = $"self-{Guid.NewGuid():N}@clinic.test";
        var me = await factory.CreateUserAsync(email, Roles.Administrator);
        using var admin = factory.Session();
        await admin.LogInAsync(email, ClinicFactory.Password);

        var edit = await admin.GetAsync($"/Staff/Edit/{me.Id}");
        var page = await admin.SubmitAsync(edit, "form[action^='/Staff/Edit']", Fields(("Administrator", null), ("Clinician", "true")));
        Assert.Contains("You cannot remove your own administrator role.", page.Errors);

        var list = await admin.GetAsync("/Staff");
        Assert.Null(list.Document.QuerySelector($"form[action='/Staff/Disable/{me.Id}'] button:disabled"));
        await admin.SubmitAsync(list, $"form[action='/Staff/Disable/{me.Id}']");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Staff")).Status);
        Assert.Equal([Roles.Administrator], await RolesOfAsync(email));
    }
}
