using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The second verifier at processing confirms as at sign-in: password and, when they have two-factor login, their
/// current authenticator code; wrong ones lock their account, a locked account is refused, and the tries share the
/// per-username sign-in limit.
/// </summary>
public sealed class VerifierConfirmation(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static readonly byte[] Scan = [.. "%PDF-1.4\n"u8, .. new byte[100]];

    [Fact]
    public async Task AVerifierWithTwoFactorConfirmsWithPasswordAndCurrentCode()
    {
        var (session, caseId) = await ProductWaitingAsync(factory);
        var verifier = await factory.CreateUserAsync($"verifier-{Guid.NewGuid():N}@clinic.test", Roles.Clinician);
        var key = await EnrolAsync(factory, verifier.Id);
        var now = DateTimeOffset.UtcNow;

        var noCode = await PostAsync(factory, session, caseId, verifier.Id, ClinicFactory.Password);
        Assert.Contains("The second verifier uses two-factor login: they also type the current code from their authenticator app.", noCode.Errors);
        AssertKeptWithoutSecrets(noCode);

        var wrongCode = await PostAsync(factory, session, caseId, verifier.Id, ClinicFactory.Password, Totp.Code(key, now.AddMinutes(-10)));
        Assert.Contains("The second verifier's password or code is not right. They type both themselves; codes change every 30 seconds.", wrongCode.Errors);
        AssertKeptWithoutSecrets(wrongCode);
        var wrongPassword = await PostAsync(factory, session, caseId, verifier.Id, "not their password", Totp.Code(key, now));
        Assert.Contains("The second verifier's password or code is not right. They type both themselves; codes change every 30 seconds.", wrongPassword.Errors);
        Assert.Equal(2, await FailedCountAsync(factory, verifier.Id));
        Assert.Equal(CaseStage.ProductObtained, await StageAsync(factory, caseId));

        var done = await PostAsync(factory, session, caseId, verifier.Id, ClinicFactory.Password, Totp.Code(key, now));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        Assert.NotEqual(CaseStage.ProductObtained, await StageAsync(factory, caseId));
        Assert.Equal(0, await FailedCountAsync(factory, verifier.Id));
    }

    [Fact]
    public async Task WrongPasswordsLockTheVerifierAndALockedVerifierIsRefused()
    {
        var (session, caseId) = await ProductWaitingAsync(factory);
        var email = $"verifier-{Guid.NewGuid():N}@clinic.test";
        var verifier = await factory.CreateUserAsync(email, Roles.Clinician);
        var attempts = factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;

        for (var i = 0; i < attempts - 1; i++)
            Assert.Contains("The second verifier's password is not right. They type it themselves.",
                (await PostAsync(factory, session, caseId, verifier.Id, "guess " + i)).Errors);
        const string Locked = "The second verifier's account is locked for a while after too many wrong passwords or codes. Ask another colleague to verify.";
        Assert.Contains(Locked, (await PostAsync(factory, session, caseId, verifier.Id, "one more guess")).Errors);

        // Locked: the right password is refused too, and nothing is recorded.
        var refused = await PostAsync(factory, session, caseId, verifier.Id, ClinicFactory.Password);
        Assert.Contains(Locked, refused.Errors);
        AssertKeptWithoutSecrets(refused);
        Assert.Equal(CaseStage.ProductObtained, await StageAsync(factory, caseId));
        using var own = factory.Session();
        Assert.Equal("/Account/Lockout", (await own.LogInAsync(email, ClinicFactory.Password)).Location);
    }

    [Fact]
    public async Task ConfirmationsShareTheVerifiersSignInLimit()
    {
        await using var clinic = new SettingsClinicFactory(("Security:LoginRateLimitPerUsername:PermitLimit", "3"), ("Security:MaxFailedSignIns", "50"));
        var (session, caseId) = await ProductWaitingAsync(clinic);
        var email = $"verifier-{Guid.NewGuid():N}@clinic.test";
        var verifier = await clinic.CreateUserAsync(email, Roles.Clinician);

        using var guesser = clinic.Session();
        Assert.Equal(HttpStatusCode.OK, (await guesser.LogInAsync(email.ToUpperInvariant(), "guess one")).Status);
        Assert.Equal(HttpStatusCode.OK, (await guesser.LogInAsync(email, "guess two")).Status);
        Assert.Contains("The second verifier's password is not right. They type it themselves.",
            (await PostAsync(clinic, session, caseId, verifier.Id, "guess three")).Errors);

        var limited = await PostAsync(clinic, session, caseId, verifier.Id, ClinicFactory.Password);
        Assert.Contains(limited.Errors, e => e.StartsWith("Too many tries to confirm this colleague in a short time. Try again in", StringComparison.Ordinal));
        AssertKeptWithoutSecrets(limited);
        Assert.Equal(CaseStage.ProductObtained, await StageAsync(clinic, caseId));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.LogInAsync(email, ClinicFactory.Password)).Status);
    }

    private static void AssertKeptWithoutSecrets(Page page)
    {
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("KIT-77", page.Document.QuerySelector("input[name='Processing.KitLot']")!.GetAttribute("value"));
        Assert.Equal("", page.Document.QuerySelector("input[name='Processing.VerifierPassword']")!.GetAttribute("value") ?? "");
        Assert.Equal("", page.Document.QuerySelector("input[name='Processing.VerifierCode']")!.GetAttribute("value") ?? "");
    }

    private static Task<Page> PostAsync(ClinicFactory clinic, WebSession session, Guid caseId, string verifierId, string password, string? code = null) =>
        PostProcessingAsync(clinic, session, caseId, verifierId, password, code);

    private static async Task<Page> PostProcessingAsync(ClinicFactory clinic, WebSession session, Guid caseId, string verifierId, string password, string? code)
    {
        var now = clinic.Clock.GetUtcNow();
        var page = await session.GetAsync($"/Cases/Product/{caseId}");
        return await session.SubmitAsync(page, "#processing-form", Fields(("Processing.Method", "Density-gradient concentration"),
            ("Processing.Device", "Separator CS-200"), ("Processing.KitLot", "KIT-77"), ("Processing.KitExpiry", "2099-01-01"),
            ("Processing.StartedAt", Local(now.AddMinutes(-3))), ("Processing.EndedAt", Local(now.AddMinutes(-2))), ("Processing.OutputVolumeMl", "4"),
            ("Processing.Release", "Rejected"), ("Processing.DecidedAt", Local(now.AddMinutes(-1))), ("Processing.ReleaseNote", "Clumped after thaw"),
            ("Processing.VerifierId", verifierId), ("Processing.VerifierPassword", password), ("Processing.VerifierCode", code)));
    }

    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm");

    /// <summary>An eligible case with its consent signed and a harvest recorded through the forms: a product waits for processing.</summary>
    private static async Task<(WebSession Session, Guid CaseId)> ProductWaitingAsync(ClinicFactory clinic)
    {
        var (session, caseId) = await clinic.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        var page = await session.GetAsync($"/Cases/Consent/{caseId}");
        await session.SubmitAsync(page, "#generate-consent", Fields(("Consent.Language", "en")));
        var document = await clinic.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.CaseId == caseId));
        clinic.Clock.Advance(TimeSpan.FromMinutes(5));
        var sign = await session.GetAsync($"/Consents/Sign/{document.Id}");
        var signed = await session.UploadAsync(sign, "form[enctype='multipart/form-data']",
            Fields(("Form.SignedAt", Local(clinic.Clock.GetUtcNow().AddMinutes(-2))), ("Form.TeachBackConfirmed", "true")), "Form.Scan", "s.pdf", Scan, "application/pdf");
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        clinic.Clock.Advance(TimeSpan.FromMinutes(15));
        var now = clinic.Clock.GetUtcNow();
        var clinicianId = await clinic.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.AssignedClinicianId).SingleAsync());
        var product = await session.GetAsync($"/Cases/Product/{caseId}");
        var harvested = await session.SubmitAsync(product, "#harvest-form", Fields(("Harvest.StartedAt", Local(now.AddMinutes(-8))),
            ("Harvest.EndedAt", Local(now.AddMinutes(-6))), ("Harvest.Site", "Right posterior iliac crest"), ("Harvest.VolumeMl", "60"),
            ("Harvest.Anaesthesia", "Local, lidocaine 1%"), ("Harvest.OperatorId", clinicianId)));
        Assert.True(harvested.Status == HttpStatusCode.Redirect, string.Join(" | ", harvested.Errors));
        Assert.Equal(CaseStage.ProductObtained, await StageAsync(clinic, caseId));
        return (session, caseId);
    }

    private static async Task<string> EnrolAsync(ClinicFactory clinic, string userId)
    {
        await using var scope = clinic.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    private static Task<int> FailedCountAsync(ClinicFactory clinic, string userId) =>
        clinic.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.AccessFailedCount).SingleAsync());

    private static Task<CaseStage> StageAsync(ClinicFactory clinic, Guid caseId) =>
        clinic.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Stage).SingleAsync());
}
