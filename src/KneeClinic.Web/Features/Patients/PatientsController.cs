using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Patients;

[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class PatientsController(ClinicDbContext db, TimeProvider clock) : Controller
{
    /// <summary>The list. Search terms are posted, never put in the address, because names and dates of birth are PHI.</summary>
    [HttpGet]
    public async Task<IActionResult> Index() => View(await PatientSearch.RunAsync(db, new PatientSearchForm()));

    [HttpPost]
    [ActionName("Index")]
    public async Task<IActionResult> Search(PatientSearchForm form)
    {
        if (!ModelState.IsValid)
            return View(new PatientSearchResult(form, [], 0));
        return View(await PatientSearch.RunAsync(db, form));
    }

    [HttpGet]
    public IActionResult Create() => View(new PatientForm());

    [HttpPost]
    public async Task<IActionResult> Create(PatientForm form)
    {
        Validate(form);
        if (!ModelState.IsValid) return View(form);
        if (await MrnTakenAsync(form.Mrn, exceptId: null))
        {
            ModelState.AddModelError(nameof(form.Mrn), "Another patient already has this MRN.");
            return View(form);
        }

        var patient = new Patient(form.Mrn, form.GivenName, form.FamilyName, form.DateOfBirth!.Value, form.Sex!.Value, clock.GetUtcNow());
        patient.Update(form.GivenName, form.FamilyName, form.DateOfBirth.Value, form.Sex.Value, form.Phone, form.Email, form.Notes);
        db.Patients.Add(patient);
        if (!await SaveAsync(nameof(form.Mrn))) return View(form);
        TempData["Message"] = "Patient saved.";
        return RedirectToAction(nameof(Details), new { id = patient.Id });
    }

    [HttpGet]
    public async Task<IActionResult> Details(Guid id)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
        if (patient is null) return NotFound();
        var cases = await db.Cases.AsNoTracking()
            .Where(c => c.PatientId == id)
            .OrderByDescending(c => c.OpenedAt)
            .Select(c => new PatientCaseRow(c.Id, c.Knee, c.CellSource, c.Stage, c.KellgrenLawrenceGrade, c.OpenedAt,
                db.Users.Where(u => u.Id == c.AssignedClinicianId).Select(u => u.DisplayName).FirstOrDefault() ?? ""))
            .ToListAsync();
        await db.RecordAsync(AuditEntry.Event(AuditAction.Viewed, nameof(Patient), id.ToString(), id));
        return View(new PatientDetails(patient, cases));
    }

    [HttpGet]
    public async Task<IActionResult> Edit(Guid id)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
        return patient is null ? NotFound() : View(PatientForm.From(patient));
    }

    [HttpPost]
    public async Task<IActionResult> Edit(Guid id, PatientForm form)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id);
        if (patient is null) return NotFound();
        Validate(form);
        if (!ModelState.IsValid) return View(form);
        if (await MrnTakenAsync(form.Mrn, exceptId: id))
        {
            ModelState.AddModelError(nameof(form.Mrn), "Another patient already has this MRN.");
            return View(form);
        }

        db.Entry(patient).Property(p => p.Version).OriginalValue = form.Version;
        patient.ChangeMrn(form.Mrn);
        patient.Update(form.GivenName, form.FamilyName, form.DateOfBirth!.Value, form.Sex!.Value, form.Phone, form.Email, form.Notes);
        if (!await SaveAsync(nameof(form.Mrn))) return View(form);
        TempData["Message"] = "Patient saved.";
        return RedirectToAction(nameof(Details), new { id });
    }

    private void Validate(PatientForm form)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (form.DateOfBirth is { } dob && dob >= today)
            ModelState.AddModelError(nameof(form.DateOfBirth), "The date of birth must be in the past.");
        else if (form.DateOfBirth is { } old && old < today.AddYears(-130))
            ModelState.AddModelError(nameof(form.DateOfBirth), "Check the date of birth: that would make the patient over 130 years old.");
        // A control character (a stray tab, line break or terminal code pasted with the name) prints as nothing on the
        // consent form, so the printed name would not be the stored one.
        foreach (var (field, label, value) in new[] { (nameof(form.GivenName), "given name", form.GivenName), (nameof(form.FamilyName), "family name", form.FamilyName) })
            if (value is not null && value.Any(char.IsControl))
                ModelState.AddModelError(field, $"The {label} contains a control character (a tab, line break or similar). Type the name again without it.");
    }

    private Task<bool> MrnTakenAsync(string mrn, Guid? exceptId) =>
        db.Patients.AnyAsync(p => p.Mrn == mrn.Trim() && p.Id != exceptId);

    private async Task<bool> SaveAsync(string mrnField)
    {
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", Conflicts.Message);
        }
        catch (DbUpdateException)
        {
            if (!await MrnRaceAsync()) throw;
            ModelState.AddModelError(mrnField, "Another patient already has this MRN.");
        }
        return false;
    }

    // The unique index caught an MRN that another user saved between our check and our insert.
    private async Task<bool> MrnRaceAsync()
    {
        var mine = db.ChangeTracker.Entries<Patient>().Select(e => e.Entity).FirstOrDefault();
        db.ChangeTracker.Clear();
        return mine is not null && await db.Patients.AnyAsync(p => p.Mrn == mine.Mrn && p.Id != mine.Id);
    }
}

public sealed record PatientCaseRow(Guid Id, KneeSide Knee, CellSource CellSource, CaseStage Stage, int? KlGrade, DateTimeOffset OpenedAt, string Clinician);

public sealed record PatientDetails(Patient Patient, IReadOnlyList<PatientCaseRow> Cases);
