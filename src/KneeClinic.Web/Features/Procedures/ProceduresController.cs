using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Cases;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Procedures;

/// <summary>
/// The steps after consent: harvest or receipt, processing and release, injection, follow-up visits and adverse
/// events. Each form posts one step to the <see cref="Core.Cases.Case"/> in Core, which decides whether it may happen, so a
/// form posted by hand meets exactly the rules the screens show.
/// </summary>
[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ProceduresController(ClinicDbContext db, AuditReads reads, CaseWrites writes, UserManager<ClinicUser> users,
    SignInManager<ClinicUser> signIn, UsernameAttempts attempts, IOptions<ClinicOptions> options, ClinicClock clock) : Controller
{
    private ClinicOptions Clinic => options.Value;
    private string Me => users.GetUserId(User)!;

    [HttpPost]
    public async Task<IActionResult> Harvest(Guid id, [Bind(Prefix = nameof(CasePage.Harvest))] HarvestForm form)
    {
        var operatorId = await ClinicianIdAsync(form.OperatorId, "Harvest.OperatorId");
        return await writes.OnStepPage(this, id, CaseStep.Product, form, p => p.Harvest = form, (c, terms) => c.RecordHarvest(
            new HarvestRecord(clock.ToUtc(form.StartedAt!.Value), clock.ToUtc(form.EndedAt!.Value), form.Site.Trim(), form.VolumeMl!.Value,
                form.Anaesthesia.Trim(), Text(form.AnticoagulantLot), form.AnticoagulantExpiry, operatorId!, Text(form.Complications)),
            terms, clock), "Harvest recorded. Label the product with its code, then record the processing.");
    }

    [HttpPost]
    public async Task<IActionResult> Receipt(Guid id, [Bind(Prefix = nameof(CasePage.Receipt))] ReceiptForm form)
    {
        var receivedById = await ClinicianIdAsync(form.ReceivedById, "Receipt.ReceivedById");
        return await writes.OnStepPage(this, id, CaseStep.Product, form, p => p.Receipt = form, (c, terms) => c.RecordReceipt(
            new ProductReceipt(form.Supplier.Trim(), form.Lot.Trim(), form.Expiry!.Value, form.DonorEligibilityReference.Trim(),
                receivedById!, clock.ToUtc(form.ReceivedAt!.Value), form.Storage.Trim()),
            terms, clock), "Product receipt recorded. Label it with its case product code, then record the thaw and preparation.");
    }

    [HttpPost]
    public async Task<IActionResult> Processing(Guid id, [Bind(Prefix = nameof(CasePage.Processing))] ProcessingForm form)
    {
        // The verifier's password is only tried when there is a product waiting for this very step, so the form
        // cannot be used to guess passwords or lock a colleague out.
        var awaiting = await db.Cases.AnyAsync(c => c.Id == id && c.Stage == Core.Cases.CaseStage.ProductObtained);
        var verifierId = ModelState.IsValid && awaiting ? await VerifierIdAsync(form) : null;
        // Never sent back to the page: the code's field would otherwise show what was posted, as ModelState holds it.
        form.VerifierPassword = form.VerifierCode = null;
        if (ModelState.TryGetValue("Processing.VerifierCode", out var typedCode)) typedCode.RawValue = typedCode.AttemptedValue = null;
        return await writes.OnStepPage(this, id, CaseStep.Product, form, p => p.Processing = form, (c, terms) => c.RecordProcessing(
            new ProcessingRecord(form.Method.Trim(), form.Device.Trim(), form.KitLot.Trim(), form.KitExpiry!.Value,
                clock.ToUtc(form.StartedAt!.Value), clock.ToUtc(form.EndedAt!.Value), form.OutputVolumeMl!.Value,
                form.TotalNucleatedCells, form.ViabilityPercent, Me,
                verifierId ?? Me, // no checked verifier: the operator again, which Core always refuses after saying what else is wrong
                form.Release!.Value, clock.ToUtc(form.DecidedAt!.Value),
                form.Release == ReleaseDecision.Released && form.UseBy is { } useBy ? clock.ToUtc(useBy) : null, Text(form.ReleaseNote)),
            terms, clock), form.Release == ReleaseDecision.Released
            ? "Product released. It can be injected until its use-by time."
            : "Product rejected and kept on record. Record a new harvest or receipt to go on.");
    }

    [HttpPost]
    public Task<IActionResult> Discard(Guid id, [Bind(Prefix = nameof(CasePage.Discard))] DiscardForm form) =>
        writes.OnStepPage(this, id, CaseStep.Product, form, p => p.Discard = form, (c, _) => c.DiscardProduct(form.Reason, Me, clock.Now),
            "Product discarded and kept on record. Record a new harvest or receipt to go on.");

    /// <summary>
    /// The product label, sized for a label printer: the patient's name, date of birth and record number for the bedside
    /// two-identifier check, and the product code in large type and as a QR code to scan at the time-out.
    /// </summary>
    [HttpGet]
    public async Task<IActionResult> Label(Guid id)
    {
        var label = await db.CellProducts.AsNoTracking().Where(p => p.Id == id)
            .Join(db.Cases, p => p.CaseId, c => c.Id, (p, c) => new { Product = p, c.PatientId, c.Knee })
            .Join(db.Patients, x => x.PatientId, p => p.Id, (x, p) => new ProductLabel(x.Product, p.Id, Core.Patients.Patient.ListName(p.FamilyName, p.GivenName),
                p.DateOfBirth, p.Mrn, x.Knee))
            .FirstOrDefaultAsync();
        if (label is null) return NotFound();
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, nameof(Core.Procedures.CellProduct), id.ToString(), label.PatientId));
        return View(label);
    }

    /// <summary>The time-out at the bedside: the product scanned, the knee marked and two identifiers, before the injection record opens.</summary>
    [HttpPost]
    public Task<IActionResult> TimeOut(Guid id, [Bind(Prefix = nameof(CasePage.TimeOut))] TimeOutForm form) =>
        writes.OnStepPage(this, id, CaseStep.TimeOut, form, p => p.TimeOut = form, (c, terms) => c.ConfirmTimeOut(
            new TimeOutCheck(form.ProductCode, form.Knee!.Value, form.NameAndBirthDateConfirmed, form.RecordNumberConfirmed, Me), terms, clock),
            "Time-out done: the patient, the product and the knee match. Record the injection.", CaseStep.Injection);

    /// <summary>The injection of the product the time-out checked, into the knee it checked.</summary>
    [HttpPost]
    public Task<IActionResult> Inject(Guid id, [Bind(Prefix = nameof(CasePage.Injection))] InjectionForm form) =>
        writes.OnStepPage(this, id, CaseStep.Injection, form, p => p.Injection = form, (c, terms) => c.RecordInjection(
            new InjectionEntry(c.CurrentProduct?.ProductCode.Value ?? "", c.Knee, form.UltrasoundGuided, form.VolumeMl!.Value, form.Approach, Me,
                clock.ToUtc(form.PerformedAt!.Value), form.ImmediateReaction, form.DischargeInstructionsGiven),
            terms, Clinic.Schedule, clock), "Injection recorded. The follow-up visits are scheduled.", CaseStep.FollowUp);

    [HttpGet]
    public async Task<IActionResult> Visit(Guid id)
    {
        var page = await VisitPage.LoadAsync(db, id);
        if (page is null) return NotFound();
        await reads.ViewedAsync(nameof(FollowUpVisit), id.ToString(), page.Heading.PatientId);
        if (page.Visit.Status != VisitStatus.Scheduled || page.Heading.Stage == Core.Cases.CaseStage.Closed)
        {
            TempData["Error"] = page.Heading.Stage == Core.Cases.CaseStage.Closed
                ? Core.Cases.CaseRules.CaseClosed.Message
                : $"The {page.Visit.Label} visit is already {(page.Visit.Status == VisitStatus.Missed ? "marked missed" : "recorded")}.";
            return RedirectToAction(nameof(CasesController.FollowUp), "Cases", new { id = page.Heading.CaseId });
        }
        var local = clock.ToLocal(clock.Now);
        page.Form.VisitedAt = local.AddTicks(-(local.Ticks % TimeSpan.TicksPerMinute));
        return View(page);
    }

    [HttpPost]
    public async Task<IActionResult> Visit(Guid id, [Bind(Prefix = nameof(VisitPage.Form))] VisitForm form)
    {
        var caseId = await db.FollowUpVisits.Where(v => v.Id == id).Select(v => (Guid?)v.CaseId).FirstOrDefaultAsync();
        if (caseId is null) return NotFound();
        var koos = Koos(form.Koos, "Form.Koos");
        return await writes.RunAsync(this, caseId.Value, form.Version, (c, terms) => c.RecordVisit(id,
            new VisitEntry(clock.ToUtc(form.VisitedAt!.Value), Me, form.PainNrs!.Value, koos, form.RehabilitationStage, form.Notes), terms, clock),
            "Follow-up visit recorded.", CaseStep.FollowUp, async () =>
            {
                var page = await VisitPage.LoadAsync(db, id);
                if (page is null) return NotFound();
                await reads.ViewedAsync(nameof(FollowUpVisit), id.ToString(), page.Heading.PatientId);
                page.Form = form;
                return View(nameof(Visit), page);
            });
    }

    [HttpPost]
    public Task<IActionResult> MarkMissed(Guid id, MarkMissedForm form) =>
        writes.OnStepPage(this, id, CaseStep.FollowUp, form, _ => { }, (c, _) => c.MarkVisitMissed(form.VisitId, clock.Today, form.Reason), "Visit marked as missed.");

    [HttpGet]
    public async Task<IActionResult> BaselineKoos(Guid id)
    {
        var page = await BaselineKoosPage.LoadAsync(db, id);
        if (page is null) return NotFound();
        await reads.ViewedAsync(nameof(Core.Cases.Case), id.ToString(), page.Heading.PatientId, """{"Page":"baseline KOOS"}""");
        return View(page);
    }

    [HttpPost]
    public Task<IActionResult> BaselineKoos(Guid id, [Bind(Prefix = nameof(BaselineKoosPage.Form))] BaselineKoosForm form)
    {
        var koos = Koos(form.Koos, "Form.Koos");
        if (ModelState.IsValid && koos is null) ModelState.AddModelError("", "Enter the patient's answers: the questionnaire is empty.");
        return writes.RunAsync(this, id, form.Version, (c, _) => c.RecordBaselineKoos(koos!),
            "Baseline KOOS recorded.", CaseStep.Screening, async () =>
            {
                var page = await BaselineKoosPage.LoadAsync(db, id);
                if (page is null) return NotFound();
                await reads.ViewedAsync(nameof(Core.Cases.Case), id.ToString(), page.Heading.PatientId, """{"Page":"baseline KOOS"}""");
                page.Form = form;
                return View(nameof(BaselineKoos), page);
            });
    }

    [HttpPost]
    public Task<IActionResult> ReportAdverseEvent(Guid id, [Bind(Prefix = nameof(CasePage.AdverseEvent))] AdverseEventForm form) =>
        writes.OnStepPage(this, id, CaseStep.AdverseEvents, form, p => p.AdverseEvent = form, (c, _) => c.ReportAdverseEvent(form.Details(), Me, clock),
            "Adverse event reported.");

    [HttpGet]
    public async Task<IActionResult> UpdateAdverseEvent(Guid id)
    {
        var page = await AdverseEventPage.LoadAsync(db, id);
        if (page is null) return NotFound();
        await reads.ViewedAsync(nameof(AdverseEvent), id.ToString(), page.Heading.PatientId);
        return View(page);
    }

    [HttpPost]
    public async Task<IActionResult> UpdateAdverseEvent(Guid id, [Bind(Prefix = nameof(AdverseEventPage.Form))] AdverseEventForm form)
    {
        var caseId = await db.AdverseEvents.Where(e => e.Id == id).Select(e => (Guid?)e.CaseId).FirstOrDefaultAsync();
        if (caseId is null) return NotFound();
        return await writes.RunAsync(this, caseId.Value, new ReadAt(form.Version, id, form.EventVersion),
            (c, _) => c.UpdateAdverseEvent(id, form.Details(), clock), "Adverse event updated.", CaseStep.AdverseEvents, async () =>
        {
            var page = await AdverseEventPage.LoadAsync(db, id);
            if (page is null) return NotFound();
            await reads.ViewedAsync(nameof(AdverseEvent), id.ToString(), page.Heading.PatientId);
            page.Form = form;
            return View(nameof(UpdateAdverseEvent), page);
        });
    }

    /// <summary>An event recorded by mistake is marked with the reason, never deleted.</summary>
    [HttpPost]
    public async Task<IActionResult> EnteredInError(Guid id, [Bind(Prefix = nameof(AdverseEventPage.Error))] EnteredInErrorForm form)
    {
        var caseId = await db.AdverseEvents.Where(e => e.Id == id).Select(e => (Guid?)e.CaseId).FirstOrDefaultAsync();
        if (caseId is null) return NotFound();
        return await writes.RunAsync(this, caseId.Value, new ReadAt(form.Version, id, form.EventVersion),
            (c, _) => c.MarkAdverseEventEnteredInError(id, form.Reason, Me, clock), "Adverse event marked as entered in error.", CaseStep.AdverseEvents, async () =>
            {
                var page = await AdverseEventPage.LoadAsync(db, id);
                if (page is null) return NotFound();
                page.Error = form;
                ViewData["FailedForm"] = nameof(EnteredInErrorForm);
                return View(nameof(UpdateAdverseEvent), page);
            });
    }

    private KoosAnswers? Koos(KoosForm form, string field)
    {
        var answers = form.Answers(out var problem);
        if (problem is not null) ModelState.AddModelError(field, problem);
        return answers;
    }

    /// <summary>Operators and receivers are active clinicians of this clinic; their id as stored, not as posted.</summary>
    private async Task<string?> ClinicianIdAsync(string? userId, string field)
    {
        if (userId is null) return null;
        if (await users.FindByIdAsync(userId) is { IsDisabled: false } user && await users.IsInRoleAsync(user, Roles.Clinician)) return user.Id;
        ModelState.AddModelError(field, "Choose an active clinician.");
        return null;
    }

    /// <summary>
    /// The second verifier proves they are there by typing their password and, when their account has two-factor login,
    /// the current code from their authenticator app. It is a sign-in in all but name: each try counts toward the
    /// per-username sign-in limit, a wrong password or code toward their lockout, and a locked account is refused.
    /// </summary>
    private async Task<string?> VerifierIdAsync(ProcessingForm form)
    {
        // Compared as the user found, not as posted: the database may match ids regardless of case or padding.
        if (await users.FindByIdAsync(form.VerifierId!) is not { IsDisabled: false } verifier || !await users.IsInRoleAsync(verifier, Roles.Clinician))
        {
            ModelState.AddModelError("Processing.VerifierId", "Choose an active clinician as the second verifier.");
            return null;
        }
        if (verifier.Id == Me)
        {
            ModelState.AddModelError("Processing.VerifierId", PathwayRules.SecondVerifierMustDiffer.Message);
            return null;
        }
        var twoFactor = await users.GetTwoFactorEnabledAsync(verifier);
        var code = form.VerifierCode?.Replace(" ", "").Replace("-", "");
        if (twoFactor && string.IsNullOrEmpty(code))
        {
            ModelState.AddModelError("Processing.VerifierCode", "The second verifier uses two-factor login: they also type the current code from their authenticator app.");
            return null;
        }
        if (attempts.TryAttempt(verifier.NormalizedUserName ?? verifier.Id) is { } wait)
        {
            ModelState.AddModelError("Processing.VerifierPassword",
                $"Too many tries to confirm this colleague in a short time. Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minutes, or ask another colleague to verify.");
            return null;
        }
        var check = await signIn.CheckPasswordSignInAsync(verifier, form.VerifierPassword!, lockoutOnFailure: true);
        var confirmed = check.Succeeded;
        if (confirmed && twoFactor)
        {
            confirmed = await users.VerifyTwoFactorTokenAsync(verifier, users.Options.Tokens.AuthenticatorTokenProvider, code!);
            if (confirmed) await users.ResetAccessFailedCountAsync(verifier);
            else await users.AccessFailedAsync(verifier);
        }
        if (!confirmed)
            ModelState.AddModelError("Processing.VerifierPassword", check.IsLockedOut || await users.IsLockedOutAsync(verifier)
                ? "The second verifier's account is locked for a while after too many wrong passwords or codes. Ask another colleague to verify."
                : twoFactor
                    ? "The second verifier's password or code is not right. They type both themselves; codes change every 30 seconds."
                    : "The second verifier's password is not right. They type it themselves.");
        return verifier.Id;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
