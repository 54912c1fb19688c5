using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;
using KneeClinic.Web.Features.Cases;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Screening;

/// <summary>The screening forms on the case page. Each posts one change to the case and returns to it.</summary>
[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ScreeningController(CaseWrites writes, UserManager<Core.Staff.ClinicUser> users, ClinicClock clock) : Controller
{
    private DateOnly Today => clock.Today;

    [HttpPost]
    public Task<IActionResult> Checkup(Guid id, [Bind(Prefix = nameof(CasePage.Checkup))] CheckupForm form) =>
        writes.OnStepPage(this, id, CaseStep.Screening, form, p => p.Checkup = form,
            (c, _) => c.RecordCheckup(form.CheckupDate!.Value, form.MedicalHistory, form.Notes, form.BaselinePainNrs!.Value,
                form.Present.Select(k => (k, form.ContraindicationNotes.GetValueOrDefault(k))), Today),
            "Check-up saved.");

    [HttpPost]
    public Task<IActionResult> AddMedication(Guid id, [Bind(Prefix = nameof(CasePage.Medication))] MedicationForm form) =>
        writes.OnStepPage(this, id, CaseStep.Screening, form, p => p.Medication = form,
            (c, _) => c.AddMedication(new Medication(form.Name, form.Dose, form.Kind!.Value, form.PauseFrom, form.ResumeOn)),
            "Medication added.");

    [HttpPost]
    public Task<IActionResult> RemoveMedication(Guid id, RemoveEntryForm form) =>
        writes.OnStepPage(this, id, CaseStep.Screening, form, _ => { }, (c, _) => c.RemoveMedication(form.EntryId),
            "Medication removed.");

    [HttpPost]
    public Task<IActionResult> AddImaging(Guid id, [Bind(Prefix = nameof(CasePage.Imaging))] ImagingForm form) =>
        writes.OnStepPage(this, id, CaseStep.Screening, form, p => p.Imaging = form,
            (c, _) => c.AddImaging(new ImagingStudy(form.Modality!.Value, form.PerformedOn!.Value, form.Findings, KlGrade.Of(form.KellgrenLawrenceGrade)), Today),
            "Imaging added.");

    [HttpPost]
    public Task<IActionResult> RemoveImaging(Guid id, RemoveEntryForm form) =>
        writes.OnStepPage(this, id, CaseStep.Screening, form, _ => { }, (c, _) => c.RemoveImaging(form.EntryId),
            "Imaging removed.");

    [HttpPost]
    public Task<IActionResult> Decide(Guid id, [Bind(Prefix = nameof(CasePage.Decision))] DecisionForm form) =>
        writes.OnStepPage(this, id, CaseStep.Screening, form, p => p.Decision = form,
            (c, _) => c.DecideEligibility(form.Outcome!.Value, form.Reason, users.GetUserId(User)!, clock.Now),
            "Eligibility decision recorded.");
}
