using KneeClinic.Core.Data;
using KneeClinic.Core.Screening;
using KneeClinic.Web.Features.Cases;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Screening;

/// <summary>The screening forms on the case page. Each posts one change to the case and returns to it.</summary>
[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ScreeningController(ClinicDbContext db, UserManager<Core.Staff.ClinicUser> users,
    Microsoft.Extensions.Options.IOptions<Consents.ClinicOptions> clinic, TimeProvider clock) : Controller
{
    private DateOnly Today => clinic.Value.Today(clock);

    [HttpPost]
    public Task<IActionResult> Checkup(Guid id, [Bind(Prefix = nameof(CasePage.Checkup))] CheckupForm form) =>
        new CaseCommand(this, db).RunAsync(id, form, (_, p) => p.Checkup = form,
            c => c.RecordCheckup(form.CheckupDate!.Value, form.MedicalHistory, form.Notes, form.BaselinePainNrs!.Value,
                form.Present.Select(k => (k, form.ContraindicationNotes.GetValueOrDefault(k))), Today),
            "Check-up saved.", "screening");

    [HttpPost]
    public Task<IActionResult> AddMedication(Guid id, [Bind(Prefix = nameof(CasePage.Medication))] MedicationForm form) =>
        new CaseCommand(this, db).RunAsync(id, form, (_, p) => p.Medication = form,
            c => c.AddMedication(new Medication(form.Name, form.Dose, form.Kind!.Value, form.PauseFrom, form.ResumeOn)),
            "Medication added.", "medications");

    [HttpPost]
    public Task<IActionResult> RemoveMedication(Guid id, RemoveEntryForm form) =>
        new CaseCommand(this, db).RunAsync(id, form, (_, _) => { }, c => c.RemoveMedication(form.EntryId),
            "Medication removed.", "medications");

    [HttpPost]
    public Task<IActionResult> AddImaging(Guid id, [Bind(Prefix = nameof(CasePage.Imaging))] ImagingForm form) =>
        new CaseCommand(this, db).RunAsync(id, form, (_, p) => p.Imaging = form,
            c => c.AddImaging(new ImagingStudy(form.Modality!.Value, form.PerformedOn!.Value, form.Findings, form.KellgrenLawrenceGrade), Today),
            "Imaging added.", "imaging");

    [HttpPost]
    public Task<IActionResult> RemoveImaging(Guid id, RemoveEntryForm form) =>
        new CaseCommand(this, db).RunAsync(id, form, (_, _) => { }, c => c.RemoveImaging(form.EntryId),
            "Imaging removed.", "imaging");

    [HttpPost]
    public Task<IActionResult> Decide(Guid id, [Bind(Prefix = nameof(CasePage.Decision))] DecisionForm form) =>
        new CaseCommand(this, db).RunAsync(id, form, (_, p) => p.Decision = form,
            c => c.DecideEligibility(form.Outcome!.Value, form.Reason, users.GetUserId(User)!, clock.GetUtcNow()),
            "Eligibility decision recorded.", "decision");
}
