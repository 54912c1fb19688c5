using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Cases;

[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class CasesController(ClinicDbContext db, UserManager<ClinicUser> users, TimeProvider clock) : Controller
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
    public async Task<IActionResult> Details(Guid id) =>
        await CasePage.LoadAsync(db, id) is { } page ? View(page) : NotFound();

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

    private async Task<List<SelectListItem>> ActiveCliniciansAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Clinician))
        .Where(u => !u.IsDisabled)
        .OrderBy(u => u.DisplayName)
        .Select(u => new SelectListItem(u.DisplayName, u.Id))
        .ToList();
}

/// <summary>
/// The shape every case-page form shares: load the case, check the version the form was read at,
/// apply one domain method, save; on a broken rule or a conflict, show the page again with the
/// posted form and the message.
/// </summary>
public sealed class CaseCommand(Controller controller, ClinicDbContext db)
{
    public async Task<IActionResult> RunAsync<TForm>(Guid caseId, TForm form, Action<Case, CasePage> keepForm,
        Func<Case, RuleViolation?> change, string done, string? anchor = null) where TForm : CaseFormBase
    {
        var @case = await db.Cases.FirstOrDefaultAsync(c => c.Id == caseId);
        if (@case is null) return controller.NotFound();

        if (controller.ModelState.IsValid)
        {
            db.Entry(@case).Property(c => c.Version).OriginalValue = form.Version;
            if (change(@case) is { } violation)
            {
                controller.ModelState.AddModelError("", violation.Message);
            }
            else
            {
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
        var page = await CasePage.LoadAsync(db, caseId);
        if (page is null) return controller.NotFound();
        keepForm(page.Case, page);
        controller.ViewData["FailedForm"] = typeof(TForm).Name;
        return controller.View("~/Features/Cases/Details.cshtml", page);
    }
}
