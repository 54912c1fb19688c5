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
public sealed class CasesController(ClinicDbContext db, ReferenceData reference, AuditReads reads, UserManager<ClinicUser> users, IOptions<ClinicOptions> clinic, ClinicClock clock) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Create(Guid patientId)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == patientId)) return NotFound();
        // The form names the patient it opens a case for.
        await reads.ViewedAsync(nameof(Patient), patientId.ToString(), patientId, """{"Page":"new case"}""");
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
        return RedirectToAction(nameof(Screening), new { id = @case.Id });
    }

    /// <summary>The case's overview: where it stands, the next step as one button, a summary of each step and its history.</summary>
    [HttpGet]
    public Task<IActionResult> Details(Guid id) => ShowAsync(id, null);

    [HttpGet]
    public Task<IActionResult> Screening(Guid id) => ShowAsync(id, CaseStep.Screening);

    [HttpGet]
    public Task<IActionResult> Consent(Guid id) => ShowAsync(id, CaseStep.Consent);

    [HttpGet]
    public Task<IActionResult> Product(Guid id) => ShowAsync(id, CaseStep.Product);

    [HttpGet]
    public Task<IActionResult> TimeOut(Guid id) => ShowAsync(id, CaseStep.TimeOut);

    [HttpGet]
    public Task<IActionResult> Injection(Guid id) => ShowAsync(id, CaseStep.Injection);

    [HttpGet]
    public Task<IActionResult> FollowUp(Guid id) => ShowAsync(id, CaseStep.FollowUp);

    [HttpGet]
    public Task<IActionResult> AdverseEvents(Guid id) => ShowAsync(id, CaseStep.AdverseEvents);

    [HttpGet]
    [ActionName(nameof(Close))]
    public Task<IActionResult> CloseStep(Guid id) => ShowAsync(id, CaseStep.Close);

    [HttpPost]
    public Task<IActionResult> Close(Guid id, [Bind(Prefix = nameof(CasePage.Close))] CloseCaseForm form, [FromServices] CaseWrites writes) =>
        writes.OnStepPage(this, id, CaseStep.Close, form, p => p.Close = form, (c, _) => c.Close(form.Reason, clock.Now), "Case closed.", then: null);

    private async Task<IActionResult> ShowAsync(Guid id, CaseStep? step)
    {
        if (await CasePage.LoadAsync(db, reference, id, clinic.Value, clock) is not { } page) return NotFound();
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, nameof(Case), id.ToString(), page.Case.PatientId));
        // The injection record opens only after a time-out that still stands.
        if (step == CaseStep.Injection && page.Done is null && page.Case.NextStep == PathwayStep.Injection
            && !CaseSteps.TimeOutStands(page.CurrentProduct, page.Now))
        {
            TempData["Error"] = Core.Procedures.PathwayRules.TimeOutRequired.Message;
            return RedirectToAction(nameof(TimeOut), new { id });
        }
        if (step is not { } shown) return View(page);
        page.Step = shown;
        return View("Step", page);
    }

    private async Task<IActionResult> CreateView(NewCaseForm form)
    {
        ViewBag.Clinicians = await ActiveCliniciansAsync();
        var patient = await db.Patients.Where(p => p.Id == form.PatientId).Select(p => new { p.FamilyName, p.GivenName, p.Mrn }).FirstAsync();
        ViewBag.Patient = $"{Patient.ListName(patient.FamilyName, patient.GivenName)} (MRN {patient.Mrn})";
        return View("Create", form);
    }

    private Task<List<SelectListItem>> ActiveCliniciansAsync() => CasePage.ActiveCliniciansAsync(db, reference);
}
