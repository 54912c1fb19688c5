using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Cases;

[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class CasesController(ClinicDbContext db, UserManager<ClinicUser> users, IOptions<ClinicOptions> clinic, ClinicClock clock) : Controller
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
        if (ModelState.IsValid && Case.MayOpen(form.Knee!.Value, await db.Cases
                .Where(c => c.PatientId == form.PatientId).Where(Case.Open)
                .Select(c => c.Knee).ToListAsync()) is { } taken)
            ModelState.AddModelError(nameof(form.Knee), taken.Message);
        if (!ModelState.IsValid) return await CreateView(form);

        var @case = new Case(form.PatientId, form.Knee!.Value, form.CellSource!.Value, KlGrade.Of(form.KellgrenLawrenceGrade),
            form.AssignedClinicianId!, clock.Now);
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
    public Task<IActionResult> Close(Guid id, [Bind(Prefix = nameof(CasePage.Close))] CloseCaseForm form, [FromServices] CaseWrites writes) =>
        writes.OnCasePage(this, id, form, p => p.Close = form, (c, _) => c.Close(form.Reason, clock.Now), "Case closed.");

    private async Task<IActionResult> CreateView(NewCaseForm form)
    {
        ViewBag.Clinicians = await ActiveCliniciansAsync();
        var patient = await db.Patients.Where(p => p.Id == form.PatientId).Select(p => new { p.FamilyName, p.GivenName, p.Mrn }).FirstAsync();
        ViewBag.Patient = $"{Patient.ListName(patient.FamilyName, patient.GivenName)} (MRN {patient.Mrn})";
        return View("Create", form);
    }

    private Task<List<SelectListItem>> ActiveCliniciansAsync() => CasePage.ActiveCliniciansAsync(db);
}
