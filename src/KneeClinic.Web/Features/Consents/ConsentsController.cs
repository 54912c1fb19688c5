using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Consents;

/// <summary>
/// The consent form of a case: clinicians generate and print it, record the signing with its scan, withdraw
/// or void it; administrators reviewing consent records may also open the PDF and the scan, and verify.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ConsentsController(ClinicDbContext db, UserManager<ClinicUser> users, ScanStore scans,
    IOptions<ClinicOptions> options, TimeProvider clock) : Controller
{
    private ClinicOptions Clinic => options.Value;

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    public async Task<IActionResult> Generate(Guid id, [FromServices] ConsentGeneration generation, [Bind(Prefix = "Consent")] GenerateConsentForm form)
    {
        var @case = await db.Cases.FirstOrDefaultAsync(c => c.Id == id);
        if (@case is null) return NotFound();
        if (!ModelState.IsValid) return CaseWithMessage(id, "Choose the language of the form.");

        var site = Clinic.PublicBaseUrl is { Length: > 0 } publicBase ? publicBase : $"{Request.Scheme}://{Request.Host}{Request.PathBase}";
        var (document, violation) = await generation.GenerateAsync(@case, form.Language, users.GetUserId(User)!, site, form.LargePrint,
            string.IsNullOrWhiteSpace(form.ShortFormLanguage) ? null : form.ShortFormLanguage);
        if (violation is not null) return CaseWithMessage(id, violation.Message);
        await db.SaveChangesAsync();
        TempData["Message"] = $"Consent form {document!.DocumentNumber} is ready to print.";
        return RedirectToAction("Details", "Cases", new { id }, "consent");
    }

    [HttpGet]
    [Authorize(Policy = Startup.StaffPolicy)]
    public async Task<IActionResult> Download(Guid id)
    {
        var document = await db.ConsentDocuments.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.Content, d.DocumentNumber, PatientId = db.Cases.Where(c => c.Id == d.CaseId).Select(c => c.PatientId).First() })
            .FirstOrDefaultAsync();
        if (document is null) return NotFound();
        await db.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), document.PatientId,
            """{"File":"consent PDF"}"""));
        return File(document.Content, "application/pdf", $"{document.DocumentNumber}.pdf");
    }

    /// <summary>
    /// The form as an HTML page for a patient who uses a screen reader: the same words as the printed form, made with it.
    /// Shown in the browser (no script runs on it: the app's content security policy allows none inline).
    /// </summary>
    [HttpGet]
    [Authorize(Policy = Startup.StaffPolicy)]
    public async Task<IActionResult> Accessible(Guid id)
    {
        var document = await db.ConsentDocuments.AsNoTracking().Where(d => d.Id == id && d.AccessibleHtml != null)
            .Select(d => new { d.AccessibleHtml, PatientId = db.Cases.Where(c => c.Id == d.CaseId).Select(c => c.PatientId).First() })
            .FirstOrDefaultAsync();
        if (document is null) return NotFound();
        await db.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), document.PatientId,
            """{"File":"accessible HTML"}"""));
        return Content(document.AccessibleHtml!, "text/html; charset=utf-8");
    }

    /// <summary>The short form in the patient's language that goes with a written summary (short-form route).</summary>
    [HttpGet]
    [Authorize(Policy = Startup.StaffPolicy)]
    public async Task<IActionResult> ShortForm(Guid id)
    {
        var document = await db.ConsentDocuments.AsNoTracking().Where(d => d.Id == id && d.ShortFormContent != null)
            .Select(d => new { d.ShortFormContent, d.DocumentNumber, d.ShortFormLanguage, PatientId = db.Cases.Where(c => c.Id == d.CaseId).Select(c => c.PatientId).First() })
            .FirstOrDefaultAsync();
        if (document is null) return NotFound();
        await db.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), document.PatientId,
            """{"File":"short form PDF"}"""));
        return File(document.ShortFormContent!, "application/pdf", $"{document.DocumentNumber}-short-form-{document.ShortFormLanguage}.pdf");
    }

    [HttpGet]
    [Authorize(Policy = Startup.StaffPolicy)]
    public async Task<IActionResult> Scan(Guid id)
    {
        var signature = await db.ConsentDocuments.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.Signature, d.DocumentNumber, PatientId = db.Cases.Where(c => c.Id == d.CaseId).Select(c => c.PatientId).First() })
            .FirstOrDefaultAsync();
        if (signature?.Signature is not { } s || scans.Open(s.ScanFileName) is not { } stream) return NotFound();
        try
        {
            await db.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), signature.PatientId,
                """{"File":"signed scan"}"""));
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
        // A download (Content-Disposition: attachment) of a checked PDF, PNG or JPEG; never shown inline as a page.
        return File(stream, s.ScanContentType, $"{signature.DocumentNumber}-signed{Path.GetExtension(s.ScanFileName)}");
    }

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpGet]
    public async Task<IActionResult> Sign(Guid id)
    {
        var page = await SignPage.LoadAsync(db, id, Clinic);
        if (page is null) return NotFound();
        var local = Clinic.ToLocal(clock.GetUtcNow());
        page.Form.SignedAt = local.AddTicks(-(local.Ticks % TimeSpan.TicksPerMinute));
        return View(page);
    }

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    [RequestSizeLimit(ScanStore.MaxBytes + 1024 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = ScanStore.MaxBytes + 1024 * 1024)]
    public async Task<IActionResult> Sign(Guid id, [Bind(Prefix = "Form")] SignatureForm form)
    {
        var document = await db.ConsentDocuments.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null) return NotFound();
        if (ScanStore.Check(form.Scan, out var contentType) is { } problem) ModelState.AddModelError("Form.Scan", problem);
        if (!ModelState.IsValid) return await SignAgain(id, form);

        var stored = await scans.SaveAsync(form.Scan!, contentType);
        try
        {
            var @case = await db.Cases.SingleAsync(c => c.Id == document.CaseId);
            db.Entry(document).Property(d => d.Version).OriginalValue = form.Version;
            var now = clock.GetUtcNow();
            var signature = new ConsentSignature(Clinic.ToUtc(form.SignedAt!.Value), users.GetUserId(User)!, Text(form.WitnessName),
                Text(form.InterpreterName), Text(form.InterpreterLanguage), form.TeachBackConfirmed, stored.FileName, stored.ContentType, stored.Sha256, now,
                form.SignedByRepresentative || Text(form.RepresentativeName) is not null
                    ? new LegalRepresentative(Text(form.RepresentativeName) ?? "", Text(form.RepresentativeRelationship), Text(form.RepresentativeAuthority))
                    : null);
            var violation = document.RecordSignature(signature, now)
                ?? await StillValidAsync(document, now)
                ?? @case.ConsentSigned(document.GeneratedAt);
            if (violation is null && await SavedAsync())
            {
                TempData["Message"] = $"Signature recorded. Consent {document.DocumentNumber} is signed.";
                return RedirectToAction("Details", "Cases", new { id = document.CaseId }, "consent");
            }
            if (violation is not null) ModelState.AddModelError("", violation.Message);
        }
        catch
        {
            scans.Delete(stored.FileName);
            throw;
        }
        scans.Delete(stored.FileName);
        return await SignAgain(id, form);
    }

    /// <summary>A consent that would not allow a procedure right now (superseded wording, too old) is not recorded as valid.</summary>
    private async Task<RuleViolation?> StillValidAsync(ConsentDocument document, DateTimeOffset now)
    {
        var version = await db.ConsentTemplateVersions.AsNoTracking().SingleAsync(v => v.Id == document.TemplateVersionId);
        var versions = await db.ConsentTemplateVersions.AsNoTracking().Where(v => v.TemplateId == version.TemplateId).ToListAsync();
        return document.ValidFor(now, version, versions, Clinic.ConsentValidityDays) switch
        {
            { Code: nameof(ConsentRules.ConsentSuperseded) } => ConsentRules.PrintedOnSupersededVersion,
            var other => other,
        };
    }

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    public async Task<IActionResult> Withdraw(Guid id, [Bind(Prefix = "Withdraw")] WithdrawForm form) =>
        await ChangeAsync(id, form.Version, async (document, @case, now) =>
        {
            if (!ModelState.IsValid) return new RuleViolation("Invalid", "Give the date and time and the reason for the withdrawal.");
            var at = Clinic.ToUtc(form.WithdrawnAt!.Value);
            var violation = document.Withdraw(at, form.Reason, users.GetUserId(User)!, now);
            if (violation is not null) return violation;
            // The patient withdraws from the treatment, not from one sheet of paper: every signed consent of the case ends.
            foreach (var other in await db.ConsentDocuments.Where(d => d.CaseId == @case.Id && d.Id != document.Id && d.Status == ConsentStatus.Signed).ToListAsync())
                other.Withdraw(at < other.Signature!.SignedAt ? other.Signature.SignedAt : at, form.Reason, users.GetUserId(User)!, now);
            @case.ConsentWithdrawn();
            return null;
        }, "Withdrawal recorded. No consent of this case allows any procedure now.");

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    public async Task<IActionResult> Void(Guid id, [Bind(Prefix = "Void")] VoidForm form) =>
        await ChangeAsync(id, form.Version, (document, _, now) => Task.FromResult(ModelState.IsValid
            ? document.Void(form.Reason, users.GetUserId(User)!, now)
            : new RuleViolation("Invalid", "Give the reason for voiding the form.")), "The form is voided. It stays on record.");

    /// <summary>The verification page; the QR code on a form opens it with the document number in the path.</summary>
    [HttpGet("Consents/Verify/{n?}")]
    [Authorize(Policy = Startup.StaffPolicy)]
    public async Task<IActionResult> Verify(string? n) =>
        View(string.IsNullOrWhiteSpace(n) ? new VerifyPage(new VerifyForm(), null) : await VerifyPage.FindAsync(db, n));

    [HttpPost]
    [Authorize(Policy = Startup.StaffPolicy)]
    [ActionName(nameof(Verify))]
    public async Task<IActionResult> VerifyPost(VerifyForm form) =>
        View(nameof(Verify), ModelState.IsValid ? await VerifyPage.FindAsync(db, form.Number) : new VerifyPage(form, null));

    private async Task<IActionResult> ChangeAsync(Guid id, Guid version, Func<ConsentDocument, Core.Cases.Case, DateTimeOffset, Task<RuleViolation?>> change, string done)
    {
        var document = await db.ConsentDocuments.FirstOrDefaultAsync(d => d.Id == id);
        if (document is null) return NotFound();
        var @case = await db.Cases.SingleAsync(c => c.Id == document.CaseId);
        db.Entry(document).Property(d => d.Version).OriginalValue = version;
        if (await change(document, @case, clock.GetUtcNow()) is { } violation) return CaseWithMessage(document.CaseId, violation.Message);
        if (!await SavedAsync()) return CaseWithMessage(document.CaseId, Conflicts.Message);
        TempData["Message"] = done;
        return RedirectToAction("Details", "Cases", new { id = document.CaseId }, "consent");
    }

    private async Task<bool> SavedAsync()
    {
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", Conflicts.Message);
            return false;
        }
    }

    private async Task<IActionResult> SignAgain(Guid id, SignatureForm form)
    {
        db.ChangeTracker.Clear();
        var page = await SignPage.LoadAsync(db, id, Clinic);
        if (page is null) return NotFound();
        page.Form = form;
        return View(nameof(Sign), page);
    }

    // The case page shows the message; the redirect keeps the browser's back button and refresh safe.
    private RedirectToActionResult CaseWithMessage(Guid caseId, string message)
    {
        TempData["Error"] = message;
        return RedirectToAction("Details", "Cases", new { id = caseId }, "consent");
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
