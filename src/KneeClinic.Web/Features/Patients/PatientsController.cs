using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Patients;

[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class PatientsController(ClinicDbContext db, DataChanges changes, AuditReads reads, ClinicClock clock) : Controller
{
    /// <summary>
    /// The list. Search terms are posted, never put in the address, because names and dates of birth are PHI; the
    /// address holds at most the id of the row a page starts after or before.
    /// </summary>
    [HttpGet]
    public async Task<IActionResult> Index(string? after, string? before, bool last = false) =>
        await ListedAsync(await PatientSearch.RunAsync(db, changes, new PatientSearchForm { After = after, Before = before, Last = last }));

    [HttpPost]
    [ActionName("Index")]
    public async Task<IActionResult> Search(PatientSearchForm form)
    {
        if (!string.IsNullOrWhiteSpace(form.Mrn) && Mrn.StartingWith(form.Mrn) is null)
            ModelState.AddModelError(nameof(form.Mrn), Mrn.FormatMessage);
        if (PhoneKey.LooksLikePhone(form.Name) && PhoneKey.Search(form.Name) is null)
            ModelState.AddModelError(nameof(form.Name),
                $"To search by phone, type at least the last {PhoneKey.MinimumDigits} digits of the number. To search by name, type letters.");
        if (!ModelState.IsValid)
            return View(new PatientSearchResult(form, KeysetPage.Empty<PatientRow>(), 0));
        return await ListedAsync(await PatientSearch.RunAsync(db, changes, form));
    }

    /// <summary>The list shown, its view recorded with the patients on it (not what was searched for).</summary>
    private async Task<IActionResult> ListedAsync(PatientSearchResult result)
    {
        await reads.ListedAsync(AuditReads.ListPages.Patients, result.Rows.Select(r => r.Id));
        return View(result);
    }

    [HttpGet]
    public IActionResult Create() => View(new PatientForm());

    [HttpPost]
    public async Task<IActionResult> Create(PatientForm form)
    {
        Validate(form);
        if (!ModelState.IsValid) return View(form);
        if (await MrnTakenAsync(Mrn.Of(form.Mrn), exceptId: null))
        {
            ModelState.AddModelError(nameof(form.Mrn), "Another patient already has this MRN.");
            return View(form);
        }

        var patient = new Patient(Mrn.Of(form.Mrn), form.GivenName, form.FamilyName, form.DateOfBirth!.Value, form.Sex!.Value, clock.Now);
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
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, nameof(Patient), id.ToString(), id));
        return View(new PatientDetails(patient, cases));
    }

    [HttpGet]
    public async Task<IActionResult> Edit(Guid id)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
        if (patient is null) return NotFound();
        await reads.ViewedAsync(nameof(Patient), id.ToString(), id, """{"Page":"edit"}""");
        return View(PatientForm.From(patient));
    }

    [HttpPost]
    public async Task<IActionResult> Edit(Guid id, PatientForm form)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id);
        if (patient is null) return NotFound();
        Validate(form);
        if (!ModelState.IsValid) return View(form);
        if (await MrnTakenAsync(Mrn.Of(form.Mrn), exceptId: id))
        {
            ModelState.AddModelError(nameof(form.Mrn), "Another patient already has this MRN.");
            return View(form);
        }

        db.Entry(patient).Property(p => p.Version).OriginalValue = form.Version;
        patient.ChangeMrn(Mrn.Of(form.Mrn));
        patient.Update(form.GivenName, form.FamilyName, form.DateOfBirth!.Value, form.Sex!.Value, form.Phone, form.Email, form.Notes);
        if (!await SaveAsync(nameof(form.Mrn))) return View(form);
        TempData["Message"] = "Patient saved.";
        return RedirectToAction(nameof(Details), new { id });
    }

    private void Validate(PatientForm form)
    {
        foreach (var problem in Patient.Check(form.Mrn, form.GivenName, form.FamilyName, form.DateOfBirth, clock.Today))
            ModelState.AddModelError(problem.Member ?? "", problem.Message);
    }

    private Task<bool> MrnTakenAsync(Mrn mrn, Guid? exceptId) =>
        db.Patients.AnyAsync(p => p.Mrn == mrn && p.Id != exceptId);

    private async Task<bool> SaveAsync(string mrnField)
    {
        try
        {
            return await db.SavedAsync(ModelState);
        }
        catch (DbUpdateException)
        {
            if (!await MrnRaceAsync()) throw;
            ModelState.AddModelError(mrnField, "Another patient already has this MRN.");
            return false;
        }
    }

    // The unique index caught an MRN that another user saved between our check and our insert.
    private async Task<bool> MrnRaceAsync()
    {
        var mine = db.ChangeTracker.Entries<Patient>().Select(e => e.Entity).FirstOrDefault();
        db.ChangeTracker.Clear();
        return mine is not null && await db.Patients.AnyAsync(p => p.Mrn == mine.Mrn && p.Id != mine.Id);
    }
}

public sealed record PatientCaseRow(Guid Id, KneeSide Knee, CellSource CellSource, CaseStage Stage, KlGrade? Grade, DateTimeOffset OpenedAt, string Clinician);

public sealed record PatientDetails(Patient Patient, IReadOnlyList<PatientCaseRow> Cases);
