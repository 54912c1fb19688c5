using System.Net;
using KneeClinic.Core.Staff;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>The password policy as staff meet it: on the new-staff form and on the change-password form.</summary>
public sealed class PasswordRules(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private const string Common = "Welcome2026!!";
    private const string TooCommonMessage = "This password is on the list of commonly used passwords. Choose a phrase of your own, for example a few unrelated words.";

    [Fact]
    public async Task TheNewStaffFormRefusesACommonPasswordAndKeepsWhatWasTyped()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var form = await admin.GetAsync("/Staff/Create");
        var email = $"new-{Guid.NewGuid():N}@clinic.test";

        var page = await admin.SubmitAsync(form, "form[action='/Staff/Create']", Fields(
            ("DisplayName", "Nadia Common"), ("Email", email), ("InitialPassword", Common), ("Clinician", "true")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(TooCommonMessage, page.Errors);
        Assert.Equal("Nadia Common", page.Document.QuerySelector("input[name=DisplayName]")!.GetAttribute("value"));
        Assert.Equal(email, page.Document.QuerySelector("input[name=Email]")!.GetAttribute("value"));
        Assert.False(await factory.QueryAsync(db => Task.FromResult(db.Users.Any(u => u.Email == email))));
    }

    [Fact]
    public async Task TheNewStaffFormRefusesAPasswordContainingTheEmailName()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var form = await admin.GetAsync("/Staff/Create");

        var page = await admin.SubmitAsync(form, "form[action='/Staff/Create']", Fields(
            ("DisplayName", "Omar Said"), ("Email", "omar.said@clinic.test"), ("InitialPassword", "i am omar.said at work"), ("Clinician", "true")));

        Assert.Contains("The password must not contain your email name.", page.Errors);
        Assert.False(await factory.QueryAsync(db => Task.FromResult(db.Users.Any(u => u.Email == "omar.said@clinic.test"))));
    }

    [Fact]
    public async Task TheChangePasswordFormRefusesACommonPasswordAndTheOldOneStillWorks()
    {
        var email = $"change-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        var manage = await session.GetAsync("/Manage");

        var page = await session.SubmitAsync(manage, "form[action='/Manage/ChangePassword']", Fields(
            ("Password.CurrentPassword", ClinicFactory.Password), ("Password.NewPassword", "qwertyuiop[]"), ("Password.ConfirmPassword", "qwertyuiop[]")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(TooCommonMessage, page.Errors);
        using var again = factory.Session();
        Assert.Equal("/", (await again.LogInAsync(email, ClinicFactory.Password)).Location);
    }

    [Fact]
    public async Task TheChangePasswordFormRefusesTheCurrentPasswordAsTheNewOne()
    {
        var email = $"same-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        var manage = await session.GetAsync("/Manage");

        var page = await session.SubmitAsync(manage, "form[action='/Manage/ChangePassword']", Fields(
            ("Password.CurrentPassword", ClinicFactory.Password), ("Password.NewPassword", ClinicFactory.Password), ("Password.ConfirmPassword", ClinicFactory.Password)));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("The new password must differ from the current one.", page.Errors);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    public async Task AVeryLongPasswordIsAcceptedAndSignsIn(int length)
    {
        var password = string.Concat(Enumerable.Repeat("the heron waits by the weir ", 5))[..length];
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var form = await admin.GetAsync("/Staff/Create");
        var email = $"long-{length}-{Guid.NewGuid():N}@clinic.test";

        var created = await admin.SubmitAsync(form, "form[action='/Staff/Create']", Fields(
            ("DisplayName", "Long Phrase"), ("Email", email), ("InitialPassword", password), ("Clinician", "true")));
        Assert.Equal("/Staff", created.Location);

        using var session = factory.Session();
        Assert.Equal("/", (await session.LogInAsync(email, password)).Location);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);

        var manage = await session.GetAsync("/Manage");
        var reversed = new string([.. password.Reverse()]);
        var changed = await session.SubmitAsync(manage, "form[action='/Manage/ChangePassword']", Fields(
            ("Password.CurrentPassword", password), ("Password.NewPassword", reversed), ("Password.ConfirmPassword", reversed)));
        Assert.Equal("/Manage", changed.Location);
        using var next = factory.Session();
        Assert.Equal("/", (await next.LogInAsync(email, reversed)).Location);
    }
}
