using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Consents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Cases;

[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class CasesController(ClinicDbContext db, UserManager<ClinicUser> users, IOptions<ClinicOptions> clinic, TimeProvider clock) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Create(Guid patientId)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == patientId)) return NotFound();
        return await CreateView(new NewCaseForm { PatientId = patientId, AssignedClinicianId = users.GetUserId(User) });
    }

    [HttpPost]
    public async Task<IActionResult> Create(NewCaseForm form)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == form.PatientId)) return NotFound();
        if (form.AssignedClinicianId is { } clinicianId && !(await ActiveCliniciansAsync()).Any(c => c.Value == clinicianId))
            ModelState.AddModelError(nameof(form.AssignedClinicianId), "Choose an active clinician.");
        if (ModelState.IsValid && await db.Cases.AnyAsync(c => c.PatientId == form.PatientId && c.Knee == form.Knee
                && c.Stage != CaseStage.Closed && c.Stage != CaseStage.Completed))
            ModelState.AddModelError(nameof(form.Knee), $"This patient already has an open case for the {form.Knee!.Value.ToString().ToLowerInvariant()} knee.");
        if (!ModelState.IsValid) return await CreateView(form);

        var @case = new Case(form.PatientId, form.Knee!.Value, form.CellSource!.Value, form.KellgrenLawrenceGrade,
            form.AssignedClinicianId!, clock.GetUtcNow());
        db.Cases.Add(@case);
        await db.SaveChangesAsync();
        TempData["Message"] = "Case opened. Start with the screening.";
        return RedirectToAction(nameof(Details), new { id = @case.Id });
    }

    [HttpGet]
    public async Task<IActionResult> Details(Guid id)
    {
        if (await CasePage.LoadAsync(db, id, clinic.Value, clock) is not { } page) return NotFound();
        await db.RecordAsync(AuditEntry.Event(AuditAction.Viewed, nameof(Case), id.ToString(), page.Case.PatientId));
        return View(page);
    }

    [HttpPost]
    public async Task<IActionResult> Close(Guid id, [Bind(Prefix = nameof(CasePage.Close))] CloseCaseForm form) =>
        await new CaseCommand(this, db).RunAsync(id, form, (c, p) => p.Close = form,
            c => c.Close(form.Reason, clock.GetUtcNow()), "Case closed.");

    private async Task<IActionResult> CreateView(NewCaseForm form)
    {
        ViewBag.Clinicians = await ActiveCliniciansAsync();
        ViewBag.Patient = await db.Patients.Where(p => p.Id == form.PatientId)
            .Select(p => p.FamilyName + ", " + p.GivenName + " (MRN " + p.Mrn + ")").FirstAsync();
        return View("Create", form);
    }

    private Task<List<SelectListItem>> ActiveCliniciansAsync() => CasePage.ActiveCliniciansAsync(db);
}

/// <summary>
/// The shape every case form shares: load the case, check the version the form was read at, apply one domain
/// step, save; on a broken rule or a conflict, show the form again with what was posted and the message.
/// Every step counts as a change to the case, so two people recording steps on one case at once cannot both win.
/// </summary>
public sealed class CaseCommand(Controller controller, ClinicDbContext db)
{
    /// <summary>A form on the case page: on failure the case page comes back with this form as posted.</summary>
    public Task<IActionResult> RunAsync<TForm>(Guid caseId, TForm form, Action<Case, CasePage> keepForm,
        Func<Case, RuleViolation?> change, string done, string? anchor = null) where TForm : CaseFormBase =>
        RunAsync(caseId, form, keepForm, c => Task.FromResult(change(c)), done, anchor);

    public Task<IActionResult> RunAsync<TForm>(Guid caseId, TForm form, Action<Case, CasePage> keepForm,
        Func<Case, Task<RuleViolation?>> change, string done, string? anchor = null) where TForm : CaseFormBase =>
        RunAsync(caseId, form.Version, change, done, anchor,
            () => CasePageAgainAsync(caseId, typeof(TForm).Name, page => keepForm(page.Case, page)));

    public async Task<IActionResult> RunAsync(Guid caseId, Guid version, Func<Case, Task<RuleViolation?>> change,
        string done, string? anchor, Func<Task<IActionResult>> showAgain)
    {
        var @case = await db.Cases.FirstOrDefaultAsync(c => c.Id == caseId);
        if (@case is null) return controller.NotFound();

        if (controller.ModelState.IsValid)
        {
            db.Entry(@case).Property(c => c.Version).OriginalValue = version;
            if (await change(@case) is { } violation)
            {
                controller.ModelState.AddModelError("", violation.Message);
            }
            else
            {
                db.Entry(@case).Property(c => c.Version).IsModified = true;
                try
                {
                    await db.SaveChangesAsync();
                    controller.TempData["Message"] = done;
                    return controller.RedirectToAction("Details", "Cases", new { id = caseId }, anchor);
                }
                catch (DbUpdateConcurrencyException)
                {
                    controller.ModelState.AddModelError("", Conflicts.Message);
                }
            }
        }

        db.ChangeTracker.Clear();
        return await showAgain();
    }

    public async Task<IActionResult> CasePageAgainAsync(Guid caseId, string failedForm, Action<CasePage> keepForm)
    {
        var services = controller.HttpContext.RequestServices;
        var clinic = services.GetRequiredService<IOptions<ClinicOptions>>().Value;
        var page = await CasePage.LoadAsync(db, caseId, clinic, services.GetRequiredService<TimeProvider>());
        if (page is null) return controller.NotFound();
        keepForm(page);
        controller.ViewData["FailedForm"] = failedForm;
        return controller.View("~/Features/Cases/Details.cshtml", page);
    }
}
