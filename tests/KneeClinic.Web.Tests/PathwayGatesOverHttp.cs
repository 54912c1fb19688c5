using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The pathway's forms posted by hand, out of order or with tampered values: every gate holds, the page says
/// why in words a clinician understands, and nothing is stored.
/// </summary>
public sealed class PathwayGatesOverHttp(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static readonly byte[] Scan = [.. "%PDF-1.4\n"u8, .. new byte[100]];
    private DateTimeOffset Now => factory.Clock.GetUtcNow();
    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm");

    private Dictionary<string, string?> Harvest(Guid version, string operatorId) => Fields(("Version", version.ToString()),
        ("StartedAt", Local(Now.AddMinutes(-4))), ("EndedAt", Local(Now.AddMinutes(-1))), ("Site", "Iliac crest"), ("VolumeMl", "60"),
        ("Anaesthesia", "Local"), ("OperatorId", operatorId)).ToDictionary(f => "Harvest." + f.Key, f => f.Value);

    private Dictionary<string, string?> Injection(Guid version, string code, string knee = "Left") => Fields(("Version", version.ToString()),
        ("ProductCode", code), ("Knee", knee), ("UltrasoundGuided", "true"), ("VolumeMl", "3"), ("Approach", "Superolateral"),
        ("PerformedAt", Local(Now)), ("DischargeInstructionsGiven", "true")).ToDictionary(f => "Injection." + f.Key, f => f.Value);

    private Dictionary<string, string?> Processing(Guid version, string verifierId, string password) => Fields(("Version", version.ToString()),
        ("Method", "m"), ("Device", "d"), ("KitLot", "k"), ("KitExpiry", "2099-01-01"), ("StartedAt", Local(Now.AddMinutes(-1))),
        ("EndedAt", Local(Now)), ("DecidedAt", Local(Now)), ("OutputVolumeMl", "4"), ("Release", "Rejected"), ("ReleaseNote", "test"),
        ("VerifierId", verifierId), ("VerifierPassword", password)).ToDictionary(f => "Processing." + f.Key, f => f.Value);

    private Task<Guid> VersionAsync(Guid caseId) => factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Version).SingleAsync());
    private Task<CaseStage> StageAsync(Guid caseId) => factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Stage).SingleAsync());
    private Task<int> ProductsAsync(Guid caseId) => factory.QueryAsync(db => db.CellProducts.CountAsync(p => p.CaseId == caseId));

    /// <summary>An eligible case whose consent is generated and signed through the forms.</summary>
    private async Task<(WebSession Session, Guid CaseId, string ClinicianId)> ConsentedAsync(CellSource source = CellSource.BoneMarrow)
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(source);
        var page = await session.GetAsync($"/Cases/Consent/{caseId}");
        await session.SubmitAsync(page, "#generate-consent", Fields(("Consent.Language", "en")));
        var document = await factory.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.CaseId == caseId));
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var sign = await session.GetAsync($"/Consents/Sign/{document.Id}");
        var signed = await session.UploadAsync(sign, "form[enctype='multipart/form-data']",
            Fields(("Form.SignedAt", Local(Now.AddMinutes(-2))), ("Form.TeachBackConfirmed", "true")), "Form.Scan", "s.pdf", Scan, "application/pdf");
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var clinicianId = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.AssignedClinicianId).SingleAsync());
        return (session, caseId, clinicianId);
    }

    [Fact]
    public async Task NoStepCanBePostedAheadOfItsTurn()
    {
        // Eligible, but the consent is not signed: nothing after it can be recorded, whatever is posted.
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        var clinicianId = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.AssignedClinicianId).SingleAsync());
        var page = await session.GetAsync($"/Cases/Product/{caseId}");
        Assert.Null(page.Document.QuerySelector("#harvest-form"));
        var version = await VersionAsync(caseId);

        var harvest = await session.PostAsync(page, $"/Procedures/Harvest/{caseId}", Harvest(version, clinicianId));
        Assert.Equal(HttpStatusCode.OK, harvest.Status);
        Assert.Contains(PathwayRules.NotConsented.Message, harvest.Errors);

        // Processing with nothing to process: refused for that reason, and the colleague named as verifier does not
        // have their password tried (no way to guess it or lock them out from here).
        var colleague = await factory.CreateUserAsync($"colleague-{Guid.NewGuid():N}@clinic.test", Roles.Clinician);
        var processing = await session.PostAsync(page, $"/Procedures/Processing/{caseId}", Processing(version, colleague.Id, "guess"));
        Assert.Contains(PathwayRules.NoProductToProcess.Message, processing.Errors);
        Assert.Equal(0, await factory.QueryAsync(db => db.Users.Where(u => u.Id == colleague.Id).Select(u => u.AccessFailedCount).SingleAsync()));

        var timeOut = await session.PostAsync(page, $"/Procedures/TimeOut/{caseId}", Fields(("TimeOut.Version", version.ToString()),
            ("TimeOut.ProductCode", "CP-0000000000"), ("TimeOut.Knee", "Left"), ("TimeOut.NameAndBirthDateConfirmed", "true"), ("TimeOut.RecordNumberConfirmed", "true")));
        Assert.Contains(PathwayRules.NotReleased.Message, timeOut.Errors);
        var inject = await session.PostAsync(page, $"/Procedures/Inject/{caseId}", Injection(version, "CP-0000000000"));
        Assert.Contains(PathwayRules.NotReleased.Message, inject.Errors);

        var visitOfNoCase = await session.PostAsync(page, $"/Procedures/MarkMissed/{caseId}", Fields(("Version", version.ToString()), ("VisitId", Guid.NewGuid().ToString())));
        Assert.Contains(FollowUpRules.NotInjected.Message, visitOfNoCase.Errors);

        Assert.Equal(CaseStage.Eligible, await StageAsync(caseId));
        Assert.Equal(0, await ProductsAsync(caseId));
        Assert.Equal(0, await factory.QueryAsync(db => db.Injections.CountAsync(i => i.CaseId == caseId)));
    }

    [Fact]
    public async Task TamperedValuesAreRefusedAndTheFormComesBackAsTyped()
    {
        var (session, caseId, clinicianId) = await ConsentedAsync();
        var page = await session.GetAsync($"/Cases/Product/{caseId}");
        var version = await VersionAsync(caseId);

        // A donor-product receipt on an own-cell case.
        var receipt = await session.PostAsync(page, $"/Procedures/Receipt/{caseId}", Fields(("Receipt.Version", version.ToString()),
            ("Receipt.Supplier", "S"), ("Receipt.Lot", "L"), ("Receipt.Expiry", "2099-01-01"), ("Receipt.DonorEligibilityReference", "D"),
            ("Receipt.ReceivedAt", Local(Now)), ("Receipt.ReceivedById", clinicianId), ("Receipt.Storage", "S")));
        Assert.Contains(PathwayRules.ReceiptIsForDonorCells.Message, receipt.Errors);

        // An operator who is not an active clinician; an administrator is not one.
        var admin = await factory.CreateUserAsync($"admin-{Guid.NewGuid():N}@clinic.test", Roles.Administrator);
        var notClinician = await session.PostAsync(page, $"/Procedures/Harvest/{caseId}", Harvest(version, admin.Id));
        Assert.Contains("Choose an active clinician.", notClinician.Errors);

        // Out-of-range and malformed values: field messages, nothing stored.
        var bad = Harvest(version, clinicianId);
        bad["Harvest.VolumeMl"] = "-5";
        bad["Harvest.StartedAt"] = "0001-01-01T00:00";
        bad["Harvest.Site"] = "";
        var invalid = await session.PostAsync(page, $"/Procedures/Harvest/{caseId}", bad);
        Assert.Contains("Give the volume harvested, from 0.1 to 1000 mL.", invalid.Errors);
        Assert.Contains("Check the date and time: Started.", invalid.Errors);
        Assert.Contains("The Harvest site field is required.", invalid.Errors);
        Assert.Equal("-5", invalid.Document.QuerySelector("input[name='Harvest.VolumeMl']")!.GetAttribute("value"));

        // Times that did not happen yet, or end before they start.
        var future = Harvest(version, clinicianId);
        future["Harvest.EndedAt"] = Local(Now.AddHours(2));
        Assert.Contains(PathwayRules.InFuture.Message, (await session.PostAsync(page, $"/Procedures/Harvest/{caseId}", future)).Errors);

        // A form read before someone else's change is a conflict, not an overwrite.
        var stale = Harvest(Guid.NewGuid(), clinicianId);
        Assert.Contains(Infrastructure.Saves.ConflictMessage, (await session.PostAsync(page, $"/Procedures/Harvest/{caseId}", stale)).Errors);

        Assert.Equal(0, await ProductsAsync(caseId));
        Assert.Equal(CaseStage.Consented, await StageAsync(caseId));

        // The genuine harvest then goes through, once; a second is refused.
        Assert.Equal(HttpStatusCode.Redirect, (await session.PostAsync(page, $"/Procedures/Harvest/{caseId}", Harvest(version, clinicianId))).Status);
        var twice = await session.PostAsync(page, $"/Procedures/Harvest/{caseId}", Harvest(await VersionAsync(caseId), clinicianId));
        Assert.Contains(PathwayRules.ProductAlreadyObtained.Message, twice.Errors);
        Assert.Equal(1, await ProductsAsync(caseId));

        // The operator cannot verify their own work, whatever spelling of their id is posted.
        foreach (var self in new[] { clinicianId, clinicianId.ToUpperInvariant(), clinicianId + " " })
        {
            var own = await session.PostAsync(page, $"/Procedures/Processing/{caseId}", Processing(await VersionAsync(caseId), self, ClinicFactory.Password));
            Assert.Equal(HttpStatusCode.OK, own.Status);
            Assert.Contains(own.Errors, e => e == PathwayRules.SecondVerifierMustDiffer.Message || e == "Choose an active clinician as the second verifier.");
        }
        Assert.Equal(CaseStage.ProductObtained, await StageAsync(caseId));
    }

    [Fact]
    public async Task AnAdministratorCannotRecordAnyStepAndUnknownVisitsAreRefused()
    {
        var (session, caseId, _) = await ConsentedAsync();
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var adminPage = await admin.GetAsync("/Staff");
        var forbidden = await admin.PostAsync(adminPage, $"/Procedures/ReportAdverseEvent/{caseId}", Fields(("AdverseEvent.Description", "x")));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);

        // A visit that is not this case's: before the injection none are.
        var page = await session.GetAsync($"/Cases/FollowUp/{caseId}");
        var missed = await session.PostAsync(page, $"/Procedures/MarkMissed/{caseId}",
            Fields(("Version", (await VersionAsync(caseId)).ToString()), ("VisitId", Guid.NewGuid().ToString())));
        Assert.Contains(FollowUpRules.NotInjected.Message, missed.Errors);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync($"/Procedures/Visit/{Guid.NewGuid()}")).Status);
    }

    [Fact]
    public async Task KoosAnswersOutsideZeroToFourAreRefused()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose);
        var page = await session.GetAsync($"/Procedures/BaselineKoos/{caseId}");
        var answers = Enumerable.Range(0, 42).Select(i => ($"Form.Koos.K[{i}]", (string?)(i == 3 ? "7" : "1"))).ToArray();
        var refused = await session.SubmitAsync(page, "#baseline-koos-form", Fields(answers));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("Each KOOS answer is 0 to 4, or left blank.", refused.Errors);
        Assert.Null(await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Screening.BaselineKoosAnswers).SingleAsync()));

        var empty = await session.SubmitAsync(page, "#baseline-koos-form");
        Assert.Contains("Enter the patient's answers: the questionnaire is empty.", empty.Errors);
    }

    [Fact]
    public async Task AnAdverseEventReportThatContradictsItselfIsRefusedWithTheReason()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        var page = await session.GetAsync($"/Cases/AdverseEvents/{caseId}");
        var fatalButGradeTwo = await session.SubmitAsync(page, "#adverse-event-form", Fields(
            ("AdverseEvent.OnsetOn", DateOnly.FromDateTime(Now.UtcDateTime).ToString("yyyy-MM-dd")), ("AdverseEvent.Category", "Infection"),
            ("AdverseEvent.CtcaeGrade", "2"), ("AdverseEvent.Relatedness", "Possible"), ("AdverseEvent.Description", "Septic arthritis"),
            ("AdverseEvent.Outcome", "Fatal")), [new("AdverseEvent.Serious", "Death")]);
        Assert.Contains(AdverseEventRules.DeathMustAgree.Message, fatalButGradeTwo.Errors);
        Assert.Equal("Septic arthritis", fatalButGradeTwo.Document.QuerySelector("#adverseevent-description")!.TextContent);

        var wrongEnum = await session.SubmitAsync(page, "#adverse-event-form", Fields(("AdverseEvent.Category", "Bogus"), ("AdverseEvent.CtcaeGrade", "9")));
        Assert.Equal(HttpStatusCode.OK, wrongEnum.Status);
        Assert.Contains(wrongEnum.Errors, e => e.Contains("CTCAE grade runs from 1"));
        Assert.Equal(0, await factory.QueryAsync(db => db.AdverseEvents.CountAsync(e => e.CaseId == caseId)));

        // Two people updating the same event: the second gets the conflict, the first update stands.
        await session.SubmitAsync(page, "#adverse-event-form", Fields(
            ("AdverseEvent.OnsetOn", DateOnly.FromDateTime(Now.UtcDateTime).ToString("yyyy-MM-dd")), ("AdverseEvent.Category", "PainSwelling"),
            ("AdverseEvent.CtcaeGrade", "1"), ("AdverseEvent.Relatedness", "Possible"), ("AdverseEvent.Description", "Swelling"), ("AdverseEvent.Outcome", "Ongoing")));
        var eventId = await factory.QueryAsync(db => db.AdverseEvents.Where(e => e.CaseId == caseId).Select(e => e.Id).SingleAsync());
        var first = await session.GetAsync($"/Procedures/UpdateAdverseEvent/{eventId}");
        var second = await session.GetAsync($"/Procedures/UpdateAdverseEvent/{eventId}");
        Assert.Equal(HttpStatusCode.Redirect, (await session.SubmitAsync(first, "#adverse-event-form", Fields(("Form.CtcaeGrade", "2")))).Status);
        var conflict = await session.SubmitAsync(second, "#adverse-event-form", Fields(("Form.ActionTaken", "Ice")));
        Assert.Contains(Infrastructure.Saves.ConflictMessage, conflict.Errors);
        var saved = await factory.QueryAsync(db => db.AdverseEvents.AsNoTracking().SingleAsync(e => e.Id == eventId));
        Assert.Equal((2, null), (saved.CtcaeGrade, saved.ActionTaken));
    }
}
