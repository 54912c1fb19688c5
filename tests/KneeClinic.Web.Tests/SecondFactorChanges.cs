using System.Net;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Turning two-factor login off, new recovery codes and another authenticator need the password or a current code
/// typed in the last five minutes of this session ("confirm it's you"); wrong ones count toward the lockout.
/// </summary>
public sealed class SecondFactorChanges(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private const string ConfirmPage = "/Manage/Confirm?returnUrl=%2FManage";
    private static readonly string[] Changes = ["DisableTwoFactor", "NewRecoveryCodes", "ResetAuthenticator"];

    [Fact]
    public async Task EachChangeIsRefusedWithoutAConfirmationAllowedRightAfterAndRefusedAgainAfterFiveMinutes()
    {
        var (session, email, key, enrolledAt) = await EnrolledAsync();
        foreach (var change in Changes)
        {
            var refused = await session.SubmitAsync(await session.GetAsync("/Manage"), $"form[action='/Manage/{change}']");
            Assert.Equal(ConfirmPage, refused.Location);
            Assert.Contains(RequiresRecentConfirmationAttribute.Message, (await session.FollowAsync(refused)).Document.Body!.TextContent);
        }
        Assert.True(await TwoFactorOnAsync(email));
        Assert.Equal(10, await RecoveryCodesLeftAsync(email));

        // Confirmed with the password: new recovery codes are given.
        var confirm = await session.GetAsync(ConfirmPage);
        var confirmed = await session.SubmitAsync(confirm, "form[action='/Manage/Confirm']", Fields(("Password", ClinicFactory.Password)));
        Assert.Equal("/Manage", confirmed.Location);
        var codes = await session.SubmitAsync(await session.GetAsync("/Manage"), "form[action='/Manage/NewRecoveryCodes']");
        Assert.Equal(HttpStatusCode.OK, codes.Status);
        Assert.Equal(10, codes.Document.QuerySelectorAll("ul.font-monospace li").Length);

        // Five minutes later the confirmation has run out.
        factory.Clock.Advance(RecentConfirmation.Window);
        var late = await session.SubmitAsync(await session.GetAsync("/Manage"), "form[action='/Manage/DisableTwoFactor']");
        Assert.Equal(ConfirmPage, late.Location);
        Assert.True(await TwoFactorOnAsync(email));

        // Confirmed with a current code this time: two-factor login can be turned off.
        confirm = await session.GetAsync(ConfirmPage);
        confirmed = await session.SubmitAsync(confirm, "form[action='/Manage/Confirm']", Fields(("Code", Totp.Code(key, enrolledAt.AddSeconds(30)))));
        Assert.Equal("/Manage", confirmed.Location);
        var off = await session.SubmitAsync(await session.GetAsync("/Manage"), "form[action='/Manage/DisableTwoFactor']");
        Assert.Equal("/Manage", off.Location);
        Assert.False(await TwoFactorOnAsync(email));
        session.Dispose();
    }

    [Fact]
    public async Task AConfirmationBelongsToTheSessionThatMadeIt()
    {
        var (session, email, key, enrolledAt) = await EnrolledAsync();
        await session.SubmitAsync(await session.GetAsync(ConfirmPage), "form[action='/Manage/Confirm']", Fields(("Password", ClinicFactory.Password)));

        using var other = factory.Session();
        var step = await other.LogInAsync(email, ClinicFactory.Password);
        var twoFactor = await other.GetAsync(step.Location!);
        Assert.Equal("/", (await other.SubmitAsync(twoFactor, "form[action^='/Account/LoginWith2fa']", Fields(("Code", Totp.Code(key, enrolledAt.AddSeconds(30)))))).Location);
        Assert.Equal(ConfirmPage, (await other.SubmitAsync(await other.GetAsync("/Manage"), "form[action='/Manage/ResetAuthenticator']")).Location);
        Assert.True(await TwoFactorOnAsync(email));

        var reset = await session.SubmitAsync(await session.GetAsync("/Manage"), "form[action='/Manage/ResetAuthenticator']");
        Assert.Equal("/Manage/EnableAuthenticator", reset.Location);
        Assert.False(await TwoFactorOnAsync(email));
        var setup = await session.GetAsync(reset.Location!);
        Assert.NotEqual(key, setup.Document.QuerySelector("kbd")!.TextContent);
        session.Dispose();
    }

    [Fact]
    public async Task WrongConfirmationsKeepTheFormCountTowardLockoutAndEndTheSession()
    {
        var (session, email, _, _) = await EnrolledAsync();
        var attempts = factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;
        Page last = await session.GetAsync(ConfirmPage);
        for (var i = 0; i < attempts - 1; i++)
        {
            last = await session.SubmitAsync(last, "form[action='/Manage/Confirm']", Fields(("Password", "not my password " + i)));
            Assert.Equal(HttpStatusCode.OK, last.Status);
            Assert.Contains("That password is not right.", last.Errors);
            Assert.Equal("", last.Document.QuerySelector("input[name=Password]")!.GetAttribute("value") ?? "");
            Assert.Equal("/Manage", last.Document.QuerySelector("input[name=ReturnUrl]")!.GetAttribute("value"));
        }
        var locked = await session.SubmitAsync(last, "form[action='/Manage/Confirm']", Fields(("Password", "one more guess")));
        Assert.Equal("/Account/Lockout", locked.Location);
        Assert.Contains("/Account/Login", (await session.GetAsync("/Manage")).Location);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByEmailAsync(email))!));
        session.Dispose();
    }

    private async Task<(WebSession Session, string Email, string Key, DateTimeOffset EnrolledAt)> EnrolledAsync()
    {
        var email = $"second-factor-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Clinician);
        var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        var setup = await session.GetAsync("/Manage/EnableAuthenticator");
        var key = setup.Document.QuerySelector("kbd")!.TextContent;
        var now = DateTimeOffset.UtcNow;
        var enrolled = await session.SubmitAsync(setup, "form[action='/Manage/EnableAuthenticator']", Fields(("Code", Totp.Code(key, now))));
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        return (session, email, key, now);
    }

    private Task<bool> TwoFactorOnAsync(string email) =>
        factory.QueryAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).TwoFactorEnabled));

    private async Task<int> RecoveryCodesLeftAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        return await users.CountRecoveryCodesAsync((await users.FindByEmailAsync(email))!);
    }
}
