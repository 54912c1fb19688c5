using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Cases;
using KneeClinic.Web.Infrastructure;
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
public sealed class ConsentsController(ClinicDbContext db, AuditReads reads, CaseWrites writes, UserManager<ClinicUser> users, ScanStore scans,
    IOptions<ClinicOptions> options, ClinicClock clock) : Controller
{
    private ClinicOptions Clinic => options.Value;
    private string Me => users.GetUserId(User)!;

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    public async Task<IActionResult> Generate(Guid id, [FromServices] ConsentGeneration generation, [Bind(Prefix = "Consent")] GenerateConsentForm form)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == id)) return NotFound();
        if (!ModelState.IsValid) return CaseWithMessage(id, ModelState.Values.SelectMany(v => v.Errors).First().ErrorMessage);

        var site = Clinic.PublicBaseUrl is { Length: > 0 } publicBase ? publicBase : $"{Request.Scheme}://{Request.Host}{Request.PathBase}";
        var number = DocumentNumber.New(clock.Now);
        return await writes.RunAsync(this, id, new ReadAt(null), (c, _) => generation.GenerateAsync(c, number, form.Language, Me, site,
                form.LargePrint, string.IsNullOrWhiteSpace(form.ShortFormLanguage) ? null : form.ShortFormLanguage, form.ReplaceReason),
            $"Consent form {number} is ready to print.", CaseStep.Consent, () => CaseWithErrors(id));
    }

    [HttpGet]
    [Authorize(Policy = Startup.StaffPolicy)]
    public async Task<IActionResult> Download(Guid id)
    {
        var document = await db.ConsentDocuments.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new { d.Content, d.DocumentNumber, PatientId = db.Cases.Where(c => c.Id == d.CaseId).Select(c => c.PatientId).First() })
            .FirstOrDefaultAsync();
        if (document is null) return NotFound();
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), document.PatientId,
            """{"File":"consent PDF"}"""));
        return Inline(File(document.Content, "application/pdf"), $"{document.DocumentNumber}.pdf");
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
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), document.PatientId,
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
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), document.PatientId,
            """{"File":"short form PDF"}"""));
        return Inline(File(document.ShortFormContent!, "application/pdf"), $"{document.DocumentNumber}-short-form-{document.ShortFormLanguage}.pdf");
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
            await reads.RecordAsync(AuditEntry.Event(AuditAction.Downloaded, nameof(ConsentDocument), id.ToString(), signature.PatientId,
                """{"File":"signed scan"}"""));
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
        // A PDF, PNG or JPEG whose content was checked at upload, shown as that type (nosniff) in the browser's own viewer.
        return Inline(File(stream, s.ScanContentType), $"{signature.DocumentNumber}-signed{Path.GetExtension(s.ScanFileName)}");
    }

    /// <summary>
    /// A document opened in the browser's viewer, ready to print, rather than saved to the downloads folder (where a
    /// copy of patient data would stay behind); saved, it keeps its document number as its name. Never cached (no-store).
    /// </summary>
    private FileResult Inline(FileResult file, string fileName)
    {
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(fileName);
        Response.Headers.ContentDisposition = disposition.ToString();
        return file;
    }

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpGet]
    public async Task<IActionResult> Sign(Guid id)
    {
        var page = await SignPage.LoadAsync(db, id, Clinic);
        if (page is null) return NotFound();
        await reads.ViewedAsync(nameof(ConsentDocument), id.ToString(), page.PatientId, """{"Page":"sign"}""");
        var local = clock.ToLocal(clock.Now);
        page.Form.SignedAt = local.AddTicks(-(local.Ticks % TimeSpan.TicksPerMinute));
        return View(page);
    }

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    [RequestSizeLimit(ScanStore.MaxBytes + 1024 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = ScanStore.MaxBytes + 1024 * 1024)]
    public async Task<IActionResult> Sign(Guid id, [Bind(Prefix = "Form")] SignatureForm form)
    {
        var document = await db.ConsentDocuments.Where(d => d.Id == id).Select(d => new { d.CaseId, d.DocumentNumber }).FirstOrDefaultAsync();
        if (document is null) return NotFound();
        if (ScanStore.Check(form.Scan, out var contentType) is { } problem) ModelState.AddModelError("Form.Scan", problem);
        if (!ModelState.IsValid) return await SignAgain(id, form);

        var stored = await scans.SaveAsync(form.Scan!, contentType);
        try
        {
            var result = await writes.RunAsync(this, document.CaseId, new ReadAt(null, id, form.Version), (c, terms) => c.RecordSignature(id,
                    new ConsentSignature(clock.ToUtc(form.SignedAt!.Value), Me, Text(form.WitnessName), Text(form.InterpreterName),
                        Text(form.InterpreterLanguage), form.TeachBackConfirmed, stored.FileName, stored.ContentType, stored.Sha256, clock.Now,
                        form.SignedByRepresentative || Text(form.RepresentativeName) is not null
                            ? new LegalRepresentative(Text(form.RepresentativeName) ?? "", Text(form.RepresentativeRelationship), Text(form.RepresentativeAuthority))
                            : null),
                    terms, clock.Now),
                $"Signature recorded. Consent {document.DocumentNumber} is signed.", CaseStep.Consent, () => SignAgain(id, form));
            if (!ModelState.IsValid) scans.Delete(stored.FileName);
            return result;
        }
        catch
        {
            scans.Delete(stored.FileName);
            throw;
        }
    }

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    public async Task<IActionResult> Withdraw(Guid id, [Bind(Prefix = "Withdraw")] WithdrawForm form) =>
        await ChangeAsync(id, form.Version, "Give the date and time and the reason for the withdrawal.",
            c => c.WithdrawConsent(id, clock.ToUtc(form.WithdrawnAt!.Value), form.Reason, Me, clock.Now),
            "Withdrawal recorded. No consent of this case allows any procedure now.");

    [Authorize(Policy = Startup.ClinicalPolicy)]
    [HttpPost]
    public async Task<IActionResult> Void(Guid id, [Bind(Prefix = "Void")] VoidForm form) =>
        await ChangeAsync(id, form.Version, "Give the reason for voiding the form.",
            c => c.VoidConsent(id, form.Reason, Me, clock.Now), "The form is voided. It stays on record.");

    /// <summary>The verification page; the QR code on a form opens it with the document number in the path.</summary>
    [HttpGet("Consents/Verify/{n?}")]
    [Authorize(Policy = Startup.StaffPolicy)]
    public async Task<IActionResult> Verify(string? n) =>
        View(string.IsNullOrWhiteSpace(n) ? new VerifyPage(new VerifyForm(), null) : await FindAsync(n));

    [HttpPost]
    [Authorize(Policy = Startup.StaffPolicy)]
    [ActionName(nameof(Verify))]
    public async Task<IActionResult> VerifyPost(VerifyForm form) =>
        View(nameof(Verify), ModelState.IsValid ? await FindAsync(form.Number) : new VerifyPage(form, null));

    /// <summary>The record behind a number; a record found shows the patient's initials and date of birth, so the look-up is audited.</summary>
    private async Task<VerifyPage> FindAsync(string number)
    {
        var page = await VerifyPage.FindAsync(db, number, Clinic.ConsentValidityDays, clock.Now);
        if (page.Result is { } found)
            await reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, nameof(ConsentDocument), found.DocumentId.ToString(), found.PatientId,
                """{"Page":"verify"}"""));
        return page;
    }

    /// <summary>A change to one consent form of a case, posted from the case page; the case page shows the outcome.</summary>
    private async Task<IActionResult> ChangeAsync(Guid id, Guid version, string incomplete, Func<Core.Cases.Case, RuleViolation?> change, string done)
    {
        var caseId = await db.ConsentDocuments.Where(d => d.Id == id).Select(d => (Guid?)d.CaseId).FirstOrDefaultAsync();
        if (caseId is null) return NotFound();
        if (!ModelState.IsValid) return CaseWithMessage(caseId.Value, incomplete);
        return await writes.RunAsync(this, caseId.Value, new ReadAt(null, id, version), (c, _) => change(c), done, CaseStep.Consent,
            () => CaseWithErrors(caseId.Value));
    }

    private async Task<IActionResult> SignAgain(Guid id, SignatureForm form)
    {
        db.ChangeTracker.Clear();
        var page = await SignPage.LoadAsync(db, id, Clinic);
        if (page is null) return NotFound();
        await reads.ViewedAsync(nameof(ConsentDocument), id.ToString(), page.PatientId, """{"Page":"sign"}""");
        page.Form = form;
        return View(nameof(Sign), page);
    }

    /// <summary>A refused or conflicting change: the case page again, with the message where the case page shows one.</summary>
    private Task<IActionResult> CaseWithErrors(Guid caseId)
    {
        TempData["Error"] = string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage));
        ModelState.Clear();
        return CaseFormWrites.AgainAsync(this, caseId, CaseStep.Consent, "consent", _ => { });
    }

    // The case page shows the message; the redirect keeps the browser's back button and refresh safe.
    private RedirectToActionResult CaseWithMessage(Guid caseId, string message)
    {
        TempData["Error"] = message;
        return RedirectToAction(nameof(CasesController.Consent), "Cases", new { id = caseId });
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
