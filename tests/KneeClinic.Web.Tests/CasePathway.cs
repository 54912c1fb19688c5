using System.Net;
using System.Text.Json;
using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Cases walked from a new patient to the last follow-up visit through the real forms, with the clinic's clock
/// moving on between visits, and the clinician's dashboard checked on the way.
/// </summary>
public sealed class CasePathway(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    private static readonly byte[] Scan = [.. "%PDF-1.4\n% signed consent\n"u8, .. new byte[500]];

    private DateTimeOffset Now => factory.Clock.GetUtcNow();
    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm");
    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd");

    /// <summary>A clinician signed in, who can come back after the clock moved on by logging in again.</summary>
    private sealed class Clinician(ClinicFactory factory, string email, string id)
    {
        public string Email { get; } = email;
        public string Id { get; } = id;
        public WebSession Session { get; private set; } = factory.Session();

        public async Task LogInAsync()
        {
            Session.Dispose();
            Session = factory.Session();
            Assert.Equal(HttpStatusCode.Redirect, (await Session.LogInAsync(Email, ClinicFactory.Password)).Status);
        }
    }

    private async Task<Clinician> ClinicianAsync()
    {
        var email = $"clinician-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        var clinician = new Clinician(factory, email, user.Id);
        await clinician.LogInAsync();
        return clinician;
    }

    /// <summary>Moves the clock on; past the 20-minute idle limit the clinician signs in again, as they would.</summary>
    private async Task AdvanceAsync(TimeSpan by, Clinician clinician)
    {
        factory.Clock.Advance(by);
        if (by >= TimeSpan.FromMinutes(15)) await clinician.LogInAsync();
    }

    private static IReadOnlyDictionary<string, string?> Koos(string prefix, string answers) =>
        answers.Select((a, i) => ($"{prefix}.Koos.K[{i}]", a == '.' ? "" : a.ToString())).ToDictionary(x => x.Item1, x => (string?)x.Item2);

    private static Dictionary<string, string?> With(IReadOnlyDictionary<string, string?> a, params (string, string?)[] more)
    {
        var all = new Dictionary<string, string?>(a);
        foreach (var (k, v) in more) all[k] = v;
        return all;
    }

    /// <summary>One step page of the case (Screening, Consent, Product, TimeOut, Injection, FollowUp, AdverseEvents, Close).</summary>
    private async Task<Page> StepAsync(Clinician c, Guid caseId, string step) => await c.Session.GetAsync($"/Cases/{step}/{caseId}");

    private static async Task<Page> Submit(Clinician c, Page page, string selector, IReadOnlyDictionary<string, string?> fields)
    {
        var result = await c.Session.SubmitAsync(page, selector, fields);
        Assert.True(result.Status == HttpStatusCode.Redirect, $"{selector}: {result.Status} {string.Join(" | ", result.Errors)}");
        return await c.Session.FollowAsync(result);
    }

    private static string Stage(Page page) => page.Document.QuerySelector("#case-stage")!.TextContent;
    private static string Next(Page page) => page.Document.QuerySelector("#next-action")!.TextContent;

    /// <summary>Registers a patient, opens a case and screens it to eligible with baseline KOOS, through the forms.</summary>
    private async Task<Guid> ScreenedCaseAsync(Clinician c, string source, string givenName)
    {
        var form = await c.Session.GetAsync("/Patients/Create");
        var patient = await c.Session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", $"MRN-{Guid.NewGuid():N}"[..16]), ("GivenName", givenName), ("FamilyName", "Ortega"),
            ("DateOfBirth", "1958-07-02"), ("Sex", "Female")));
        var patientId = Guid.Parse(patient.Location!.Split('/').Last());
        var opened = await c.Session.SubmitAsync(await c.Session.GetAsync($"/Cases/Create?patientId={patientId}"), "form[action='/Cases/Create']",
            Fields(("Knee", "Right"), ("CellSource", source), ("KellgrenLawrenceGrade", "2")));
        var caseId = Guid.Parse(opened.Location!.Split('/').Last());
        var today = DateOnly.FromDateTime(Now.UtcDateTime);

        var page = await StepAsync(c, caseId, "Screening");
        page = await Submit(c, page, $"form[action$='/Screening/Checkup/{caseId}']",
            Fields(("Checkup.CheckupDate", Date(today)), ("Checkup.BaselinePainNrs", "7")));
        page = await Submit(c, page, $"form[action$='/Screening/AddImaging/{caseId}']", Fields(("Imaging.Modality", "Mri"),
            ("Imaging.PerformedOn", Date(today.AddDays(-10))), ("Imaging.Findings", "Cartilage thinning, medial compartment"), ("Imaging.KellgrenLawrenceGrade", "2")));
        page = await Submit(c, page, $"form[action$='/Screening/Decide/{caseId}']", Fields(("Decision.Outcome", "Eligible")));
        Assert.Equal("Eligible", Stage(page));

        // Baseline KOOS on its own page: every item 2 ("moderate"), so each subscale is 50.
        var koos = await c.Session.GetAsync($"/Procedures/BaselineKoos/{caseId}");
        page = await Submit(c, koos, "#baseline-koos-form", Koos("Form", new string('2', 42)));
        Assert.Contains("pain 50", page.Document.QuerySelector("#baseline-koos")!.TextContent);
        return caseId;
    }

    private async Task ConsentAsync(Clinician c, Guid caseId)
    {
        var page = await Submit(c, await StepAsync(c, caseId, "Consent"), "#generate-consent", Fields(("Consent.Language", "en")));
        var document = await factory.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.CaseId == caseId));

        // Printed, not signed: the dashboard lists it.
        var dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.Contains(document.DocumentNumber, dashboard.Document.QuerySelector("#awaiting-signature")!.TextContent);

        await AdvanceAsync(TimeSpan.FromMinutes(10), c);
        var sign = await c.Session.GetAsync($"/Consents/Sign/{document.Id}");
        var signed = await c.Session.UploadAsync(sign, "form[enctype='multipart/form-data']",
            Fields(("Form.SignedAt", Local(Now.AddMinutes(-5))), ("Form.TeachBackConfirmed", "true")), "Form.Scan", "scan.pdf", Scan, "application/pdf");
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.DoesNotContain(document.DocumentNumber, dashboard.Document.QuerySelector("#awaiting-signature")!.TextContent);
    }

    private async Task<Page> ProcessAsync(Clinician c, Clinician verifier, Guid caseId, string release, DateTimeOffset start)
    {
        await AdvanceAsync(TimeSpan.FromHours(1), c);
        var page = await StepAsync(c, caseId, "Product");
        var fields = Fields(("Processing.Method", "Density-gradient concentration"), ("Processing.Device", "Separator CS-200"),
            ("Processing.KitLot", "KIT-5521"), ("Processing.KitExpiry", Date(DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(3))),
            ("Processing.StartedAt", Local(start)), ("Processing.EndedAt", Local(start.AddMinutes(40))), ("Processing.OutputVolumeMl", "4.5"),
            ("Processing.TotalNucleatedCells", "1200000000"), ("Processing.ViabilityPercent", "94.5"), ("Processing.Release", release),
            ("Processing.DecidedAt", Local(start.AddMinutes(45))), ("Processing.UseBy", release == "Released" ? Local(Now.AddHours(6)) : ""),
            ("Processing.ReleaseNote", release == "Released" ? "" : "Clumped after thaw"),
            ("Processing.VerifierId", verifier.Id), ("Processing.VerifierPassword", "not their password"));

        // The second verifier must confirm with their own password; a wrong one records nothing.
        var wrong = await c.Session.SubmitAsync(page, "#processing-form", fields);
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("The second verifier's password is not right. They type it themselves.", wrong.Errors);
        Assert.Equal("", wrong.Document.QuerySelector("input[name='Processing.VerifierPassword']")!.GetAttribute("value") ?? "");
        Assert.Equal("KIT-5521", wrong.Document.QuerySelector("input[name='Processing.KitLot']")!.GetAttribute("value"));

        fields["Processing.VerifierPassword"] = ClinicFactory.Password;
        return await Submit(c, wrong, "#processing-form", fields);
    }

    /// <summary>From the product page to the time-out, which stops a wrong product, knee or missing identifier, then the injection.</summary>
    private async Task<Page> InjectAsync(Clinician c, Guid caseId)
    {
        await AdvanceAsync(TimeSpan.FromMinutes(10), c);
        var page = await StepAsync(c, caseId, "Product");
        Assert.Equal("Product released", Stage(page));
        // The code is read off the printed label, as at the bedside; the case pages show only its end.
        var labelLink = page.Document.QuerySelectorAll("#products tr[data-product] a[href^='/Procedures/Label/']").Last().GetAttribute("href")!;
        var label = await c.Session.GetAsync(labelLink);
        var code = label.Document.QuerySelector("#product-code")!.TextContent.Trim();
        Assert.DoesNotContain(code, page.Text);
        Assert.Contains(code[^4..], page.Document.QuerySelector("#products")!.TextContent);

        // The next step is the time-out, not the injection form: the injection page sends there until it is done.
        Assert.Equal($"/Cases/TimeOut/{caseId}", page.Document.QuerySelector("#next-step")!.GetAttribute("href"));
        var early = await c.Session.GetAsync($"/Cases/Injection/{caseId}");
        Assert.Equal($"/Cases/TimeOut/{caseId}", early.Location);
        var timeOut = await c.Session.FollowAsync(early);
        Assert.Contains(PathwayRules.TimeOutRequired.Message, timeOut.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.Null(timeOut.Document.QuerySelector("#injection-form"));
        // What the wristband and the label are checked against, read aloud.
        Assert.Contains("Ortega", timeOut.Document.QuerySelector("#time-out-name")!.TextContent);
        Assert.Equal("2 July 1958", timeOut.Document.QuerySelector("#time-out-birth-date")!.TextContent.Trim());
        Assert.Equal("Right knee", timeOut.Document.QuerySelector("#time-out-knee")!.TextContent.Trim());

        var fields = Fields(("TimeOut.ProductCode", "CP-WRONG00000"), ("TimeOut.Knee", "Right"),
            ("TimeOut.NameAndBirthDateConfirmed", "true"), ("TimeOut.RecordNumberConfirmed", "true"));
        // The wrong label stops it; so do the wrong knee and an identifier not confirmed. The form comes back as typed.
        var stop = await c.Session.SubmitAsync(timeOut, "#time-out-form", fields);
        Assert.Contains(PathwayRules.ProductCodeMismatch.Message, stop.Errors);
        Assert.Equal("CP-WRONG00000", stop.Document.QuerySelector("input[name='TimeOut.ProductCode']")!.GetAttribute("value"));
        fields["TimeOut.ProductCode"] = " " + code.ToLowerInvariant() + " "; // as a scanner or a hurried hand types it
        fields["TimeOut.Knee"] = "Left";
        Assert.Contains(PathwayRules.KneeMismatch.Message, (await c.Session.SubmitAsync(stop, "#time-out-form", fields)).Errors);
        fields["TimeOut.Knee"] = "Right";
        fields["TimeOut.RecordNumberConfirmed"] = null;
        Assert.Contains(PathwayRules.IdentifiersNotConfirmed.Message, (await c.Session.SubmitAsync(stop, "#time-out-form", fields)).Errors);
        Assert.Null(await factory.QueryAsync(db => db.CellProducts.Where(p => p.CaseId == caseId && p.TimeOutAt != null).Select(p => (Guid?)p.Id).FirstOrDefaultAsync()));

        fields["TimeOut.RecordNumberConfirmed"] = "true";
        page = await Submit(c, stop, "#time-out-form", fields);
        Assert.EndsWith($"/Cases/Injection/{caseId}", page.Url);
        Assert.Contains(code[^4..], page.Document.QuerySelector("#time-out-done")!.TextContent);
        page = await Submit(c, page, "#injection-form", Fields(("Injection.UltrasoundGuided", "true"), ("Injection.VolumeMl", "4"),
            ("Injection.Approach", "Superolateral"), ("Injection.PerformedAt", Local(Now)), ("Injection.DischargeInstructionsGiven", "true")));
        Assert.Equal("Injected", Stage(page));
        Assert.EndsWith($"/Cases/FollowUp/{caseId}", page.Url);
        Assert.Equal(5, page.Document.QuerySelectorAll("#visits tr[data-visit]").Length);
        Assert.Equal(code, await factory.QueryAsync(db => db.Injections.Where(i => i.CaseId == caseId).Select(i => i.ProductCodeChecked).SingleAsync()));
        return page;
    }

    /// <summary>Moves to the visit's due day and records it through its own page, KOOS included.</summary>
    private async Task<Page> VisitAsync(Clinician c, Guid caseId, string label, int pain, string koos)
    {
        var visit = await factory.QueryAsync(db => db.FollowUpVisits.SingleAsync(v => v.CaseId == caseId && v.Label == label));
        var due = new DateTimeOffset(visit.DueOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        if (due > Now) await AdvanceAsync(due - Now, c);
        // On its due day the visit is on the dashboard, under "due now".
        var dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.NotNull(dashboard.Document.QuerySelector($"#due-now li[data-visit='{label}']"));
        Assert.Null(dashboard.Document.QuerySelector($"#due-this-week li[data-visit='{label}']"));
        var page = await StepAsync(c, caseId, "FollowUp");
        var link = page.Document.QuerySelector($"#visits tr[data-visit='{label}'] a[href^='/Procedures/Visit/']")!.GetAttribute("href")!;
        var form = await c.Session.GetAsync(link);
        Assert.Equal(42, form.Document.QuerySelectorAll("#koos tbody tr:not(.table-light)").Length);
        return await Submit(c, form, "#visit-form", With(Koos("Form", koos),
            ("Form.VisitedAt", Local(Now)), ("Form.PainNrs", pain.ToString()), ("Form.RehabilitationStage", "EarlyRehabilitation"),
            ("Form.Notes", "Walking without a stick")));
    }

    private static JsonElement Chart(Page page, string measure) => JsonDocument.Parse(
        page.Document.QuerySelector($"#outcomes figure[data-measure='{measure}'] canvas")!.GetAttribute("data-chart")!).RootElement;

    [Fact]
    public async Task AnAutologousCaseGoesFromScreeningToItsLastFollowUpThroughTheForms()
    {
        var c = await ClinicianAsync();
        var verifier = await ClinicianAsync();
        var caseId = await ScreenedCaseAsync(c, "BoneMarrow", "Inés");
        await ConsentAsync(c, caseId);

        // Harvest, by the clinician, after the signature.
        await AdvanceAsync(TimeSpan.FromHours(1), c);
        var page = await StepAsync(c, caseId, "Product");
        Assert.Equal("Record the harvest.", Next(page));
        Assert.Null(page.Document.QuerySelector("#receipt-form"));
        var harvestStart = Now.AddMinutes(-50);
        page = await Submit(c, page, "#harvest-form", Fields(("Harvest.StartedAt", Local(harvestStart)), ("Harvest.EndedAt", Local(harvestStart.AddMinutes(35))),
            ("Harvest.Site", "Right posterior iliac crest"), ("Harvest.VolumeMl", "60"), ("Harvest.Anaesthesia", "Local, lidocaine 1%"),
            ("Harvest.AnticoagulantLot", "ACD-4411"), ("Harvest.AnticoagulantExpiry", Date(DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(6))),
            ("Harvest.OperatorId", c.Id)));
        Assert.Equal("Product obtained", Stage(page));
        var product = await factory.QueryAsync(db => db.CellProducts.SingleAsync(p => p.CaseId == caseId));
        Assert.Matches("^CP-[A-Z0-9]{10}$", product.ProductCode);
        Assert.DoesNotContain("Ortega", product.ProductCode, StringComparison.OrdinalIgnoreCase);

        // Processing: the operator cannot verify their own work, and is not offered as verifier.
        Assert.Null((await StepAsync(c, caseId, "Product")).Document.QuerySelector($"#processing-form select[name='Processing.VerifierId'] option[value='{c.Id}']"));
        page = await ProcessAsync(c, verifier, caseId, "Released", harvestStart.AddMinutes(45));
        Assert.Equal("Product released", Stage(page));
        var processing = await factory.QueryAsync(db => db.CellProducts.AsNoTracking().Where(p => p.CaseId == caseId).Select(p => p.Processing).SingleAsync());
        Assert.Equal((c.Id, verifier.Id, ReleaseDecision.Released), (processing!.OperatorId, processing.VerifierId, processing.Release));

        page = await InjectAsync(c, caseId);
        // Each scheduled visit says when its window opens.
        var twoWeeks = await factory.QueryAsync(db => db.FollowUpVisits.SingleAsync(v => v.CaseId == caseId && v.Label == "2 weeks"));
        Assert.Contains($"Scheduled: opens {twoWeeks.WindowOpens:yyyy-MM-dd}", page.Document.QuerySelector("#visits tr[data-visit='2 weeks']")!.TextContent);
        var dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.Contains("2 weeks visit is due", dashboard.Document.QuerySelector($"tr[data-case='{caseId}'] .next-action")!.TextContent);

        // A flare-up five days later: reported, then open on the dashboard until it resolves.
        await AdvanceAsync(TimeSpan.FromDays(5), c);
        page = await Submit(c, await StepAsync(c, caseId, "AdverseEvents"), "#adverse-event-form", Fields(
            ("AdverseEvent.OnsetOn", Date(DateOnly.FromDateTime(Now.UtcDateTime))), ("AdverseEvent.Category", "FlareUp"),
            ("AdverseEvent.CtcaeGrade", "1"), ("AdverseEvent.Relatedness", "Probable"), ("AdverseEvent.Description", "Warm, swollen knee"),
            ("AdverseEvent.ActionTaken", "Ice and rest"), ("AdverseEvent.Outcome", "Ongoing")));
        dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.Contains("Flare-up, grade 1", dashboard.Document.QuerySelector("#open-adverse-events")!.TextContent);
        // The 2-week visit's window opens within the week: the dashboard lists it ahead, with its window.
        var twoWeeksAhead = dashboard.Document.QuerySelector("#due-this-week li[data-visit='2 weeks']")?.TextContent;
        Assert.Contains($"window {twoWeeks.WindowOpens:yyyy-MM-dd} to {twoWeeks.WindowCloses:yyyy-MM-dd}", twoWeeksAhead);
        Assert.Null(dashboard.Document.QuerySelector("#due-now li[data-visit='2 weeks']"));
        var update = await c.Session.GetAsync(page.Document.QuerySelector("#adverse-event-list a[href^='/Procedures/UpdateAdverseEvent/']")!.GetAttribute("href")!);
        // Grade 4 is life-threatening: it is not saved as "not serious".
        var notSerious = await c.Session.SubmitAsync(update, "#adverse-event-form", Fields(("Form.CtcaeGrade", "4")));
        Assert.Contains(Core.FollowUp.AdverseEventRules.SevereMustBeSerious.Message, notSerious.Errors);
        Assert.Equal(1, await factory.QueryAsync(db => db.AdverseEvents.Where(e => e.CaseId == caseId).Select(e => e.CtcaeGrade).SingleAsync()));
        var resolvedTooEarly = await c.Session.SubmitAsync(update, "#adverse-event-form", Fields(("Form.Outcome", "Resolved")));
        Assert.Contains("Give the date the event resolved.", resolvedTooEarly.Errors);
        await Submit(c, resolvedTooEarly, "#adverse-event-form", Fields(("Form.Outcome", "Resolved"), ("Form.ResolvedOn", Date(DateOnly.FromDateTime(Now.UtcDateTime)))));
        dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.DoesNotContain("Flare-up", dashboard.Document.QuerySelector("#open-adverse-events")!.TextContent);

        // A hospital stay, reported by mistake on this patient: serious, so due for reporting in 15 days; then marked as
        // entered in error (with a reason), it stays on the case struck through and leaves the dashboard.
        page = await Submit(c, await StepAsync(c, caseId, "AdverseEvents"), "#adverse-event-form", Fields(
            ("AdverseEvent.OnsetOn", Date(DateOnly.FromDateTime(Now.UtcDateTime))), ("AdverseEvent.Category", "Infection"),
            ("AdverseEvent.CtcaeGrade", "3"), ("AdverseEvent.Serious", "Hospitalisation"), ("AdverseEvent.Relatedness", "Possible"),
            ("AdverseEvent.Description", "Admitted with a fever"), ("AdverseEvent.Outcome", "Ongoing")));
        var dueOn = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(15).ToString("yyyy-MM-dd");
        var serious = page.Document.QuerySelectorAll("#adverse-event-list tr").Single(r => r.TextContent.Contains("Admitted with a fever"));
        Assert.Contains("Hospital stay", serious.TextContent);
        Assert.Contains($"Report by {dueOn}", serious.TextContent);
        Assert.Contains("Possibly", serious.TextContent);
        Assert.Contains($"report by {dueOn}", (await c.Session.GetAsync("/Dashboard")).Document.QuerySelector("#open-adverse-events")!.TextContent);
        update = await c.Session.GetAsync(serious.QuerySelector("a[href^='/Procedures/UpdateAdverseEvent/']")!.GetAttribute("href")!);
        var noErrorReason = await c.Session.SubmitAsync(update, "#entered-in-error-form", Fields());
        Assert.Contains(Core.FollowUp.AdverseEventRules.ErrorReasonRequired.Message, noErrorReason.Errors);
        page = await Submit(c, noErrorReason, "#entered-in-error-form", Fields(("Error.Reason", "Belongs to another patient")));
        var struck = page.Document.QuerySelector("#adverse-event-list tr.entered-in-error")!.TextContent;
        Assert.Contains("Admitted with a fever", struck);
        Assert.Contains("Entered in error", struck);
        Assert.Contains("Belongs to another patient", struck);
        Assert.DoesNotContain("Admitted", (await c.Session.GetAsync("/Dashboard")).Document.QuerySelector("#open-adverse-events")!.TextContent);
        Assert.Equal(2, await factory.QueryAsync(db => db.AdverseEvents.CountAsync(e => e.CaseId == caseId)));

        // The follow-up year. KOOS improves from 50 (all 2s) to 75 (all 1s); the 6-month visit is missed.
        page = await VisitAsync(c, caseId, "2 weeks", 6, new string('2', 42));
        Assert.Equal("In follow-up", Stage(page));
        page = await VisitAsync(c, caseId, "6 weeks", 5, ".." + new string('2', 40));
        page = await VisitAsync(c, caseId, "3 months", 4, new string('1', 42));

        var sixMonths = await factory.QueryAsync(db => db.FollowUpVisits.SingleAsync(v => v.CaseId == caseId && v.Label == "6 months"));
        await AdvanceAsync(new DateTimeOffset(sixMonths.WindowCloses.AddDays(1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero) - Now, c);
        dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.Contains("6 months", dashboard.Document.QuerySelector("#overdue")!.TextContent);
        page = await StepAsync(c, caseId, "FollowUp");
        Assert.Contains("The 6 months visit is overdue", Next(page));
        var noReason = await c.Session.SubmitAsync(page, "#visits tr[data-visit='6 months'] form", Fields());
        Assert.Contains(Core.FollowUp.FollowUpRules.MissedReasonRequired.Message, noReason.Errors);
        page = await Submit(c, noReason, "#visits tr[data-visit='6 months'] form", Fields(("Reason", "No answer after three calls")));
        Assert.Contains("No answer after three calls", page.Document.QuerySelector("#visits tr[data-visit='6 months']")!.TextContent);
        dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.DoesNotContain("6 months", dashboard.Document.QuerySelector("#overdue")!.TextContent);

        page = await VisitAsync(c, caseId, "12 months", 2, new string('1', 42));
        Assert.Equal("Completed", Stage(page));
        var visits = await factory.QueryAsync(db => db.FollowUpVisits.Where(v => v.CaseId == caseId).OrderBy(v => v.DueOn).ToListAsync());
        Assert.Equal([VisitStatus.Completed, VisitStatus.Completed, VisitStatus.Completed, VisitStatus.Missed, VisitStatus.Completed],
            visits.Select(v => v.Status));
        Assert.Equal(75m, visits[^1].Koos!.Pain);
        Assert.Equal(50m, visits[1].Koos!.Symptoms); // two blanks in symptoms: scored from the items answered

        // The charts: baseline first, the MIC line 15 points above baseline KOOS and 2 points below baseline pain.
        var pain = Chart(page, "Knee pain (NRS 0-10)");
        Assert.Equal(["Baseline", "2 weeks", "6 weeks", "3 months", "12 months"], pain.GetProperty("labels").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal([7m, 6m, 5m, 4m, 2m], pain.GetProperty("values").EnumerateArray().Select(x => x.GetDecimal()));
        Assert.Equal(5m, pain.GetProperty("threshold").GetDecimal());
        var koosPain = Chart(page, "KOOS pain");
        Assert.Equal(65m, koosPain.GetProperty("threshold").GetDecimal());
        Assert.Contains("Change from baseline +25: a noticeable improvement.", page.Document.QuerySelector("#outcomes figure[data-measure='KOOS pain']")!.TextContent);

        // Completed cases leave the dashboard.
        dashboard = await c.Session.GetAsync("/Dashboard");
        Assert.Null(dashboard.Document.QuerySelector($"tr[data-case='{caseId}']"));
        // Each step wrote its audit entry under the clinician who recorded it.
        var audited = await factory.QueryAsync(db => db.AuditEntries.Where(e => e.UserId == c.Id).Select(e => e.Entity).Distinct().ToListAsync());
        foreach (var entity in new[] { "CellProduct", "Harvest", "ProcessingRecord", "Injection", "FollowUpVisit", "AdverseEvent" })
            Assert.Contains(audited, e => e.Contains(entity));
        output.WriteLine($"Autologous case {caseId} completed on {Now:yyyy-MM-dd}; audited: {string.Join(", ", audited)}");
    }

    [Fact]
    public async Task AnAllogeneicCaseRejectsOneDonorProductDiscardsAnExpiredOneAndFollowsTheThirdToTheLastVisit()
    {
        var c = await ClinicianAsync();
        var verifier = await ClinicianAsync();
        var caseId = await ScreenedCaseAsync(c, "UmbilicalCord", "Lucía");
        await ConsentAsync(c, caseId);

        var lotExpiry = DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(2);
        async Task<Page> ReceiveAsync(string lot)
        {
            await AdvanceAsync(TimeSpan.FromMinutes(10), c);
            var page = await StepAsync(c, caseId, "Product");
            Assert.Equal("Record the receipt of the donor product.", Next(page));
            Assert.Null(page.Document.QuerySelector("#harvest-form"));
            return await Submit(c, page, "#receipt-form", Fields(("Receipt.Supplier", "Example Cord Bank"), ("Receipt.Lot", lot),
                ("Receipt.Expiry", Date(lotExpiry)), ("Receipt.DonorEligibilityReference", "DER-2026-0042"), ("Receipt.ReceivedAt", Local(Now.AddMinutes(-5))),
                ("Receipt.ReceivedById", c.Id), ("Receipt.Storage", "LN2 dewar 2")));
        }

        var received = await ReceiveAsync("UC-LOT-1");
        Assert.Contains("Record the thaw and preparation", Next(received));
        var rejected = await ProcessAsync(c, verifier, caseId, "Rejected", Now);
        Assert.Equal("Consented", Stage(rejected));
        Assert.Contains("Clumped after thaw", rejected.Document.QuerySelector("#products")!.TextContent);

        // The second is released, but the patient cannot come before its use-by time: it is discarded.
        await ReceiveAsync("UC-LOT-2");
        Assert.Equal("Product released", Stage(await ProcessAsync(c, verifier, caseId, "Released", Now)));
        await AdvanceAsync(TimeSpan.FromHours(7), c);
        var expired = await StepAsync(c, caseId, "TimeOut");
        Assert.NotNull(expired.Document.QuerySelector("#product-expired"));
        expired = await StepAsync(c, caseId, "Product");
        Assert.StartsWith("The product is past its use-by time: discard it", Next(expired));
        var discarded = await Submit(c, expired, "#discard-form", Fields(("Discard.Reason", "Patient unwell on the day; use-by time passed")));
        Assert.Equal("Consented", Stage(discarded));
        Assert.Contains("Discarded", discarded.Document.QuerySelector("#products")!.TextContent);

        await ReceiveAsync("UC-LOT-3");
        var released = await ProcessAsync(c, verifier, caseId, "Released", Now);
        Assert.Equal("Product released", Stage(released));
        var products = await factory.QueryAsync(db => db.CellProducts.Where(p => p.CaseId == caseId).ToListAsync());
        Assert.Equal(3, products.Count);
        Assert.Single(products, p => p.IsRejected);
        Assert.Single(products, p => p.DiscardedAt is not null);
        var good = products.Single(p => p.IsReleased);
        Assert.Equal("UC-LOT-3", good.Receipt!.Lot);

        // The rejected product's code is refused at the bedside time-out.
        var page = await StepAsync(c, caseId, "TimeOut");
        var refused = await c.Session.SubmitAsync(page, "#time-out-form", Fields(("TimeOut.ProductCode", products.Single(p => p.IsRejected).ProductCode),
            ("TimeOut.Knee", "Right"), ("TimeOut.NameAndBirthDateConfirmed", "true"), ("TimeOut.RecordNumberConfirmed", "true")));
        Assert.Contains(PathwayRules.ProductCodeMismatch.Message, refused.Errors);

        await InjectAsync(c, caseId);
        foreach (var (label, pain) in new[] { ("2 weeks", 6), ("6 weeks", 5), ("3 months", 4), ("6 months", 3) })
            Assert.Equal("In follow-up", Stage(await VisitAsync(c, caseId, label, pain, new string('1', 42))));
        page = await VisitAsync(c, caseId, "12 months", 3, new string('1', 42));
        Assert.Equal("Completed", Stage(page));
        Assert.Equal(5, await factory.QueryAsync(db => db.FollowUpVisits.CountAsync(v => v.CaseId == caseId && v.Status == VisitStatus.Completed)));
    }
}
