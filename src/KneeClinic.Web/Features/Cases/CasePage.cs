using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Screening;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Cases;

/// <summary>Everything the case page shows, with the forms it holds (re-filled with what was posted when one fails).</summary>
public sealed class CasePage
{
    public required Case Case { get; init; }
    public required string PatientName { get; init; }
    public required string PatientMrn { get; init; }
    public required DateOnly PatientDateOfBirth { get; init; }
    public required IReadOnlyDictionary<string, string> StaffNames { get; init; }
    public required IReadOnlyList<TimelineStep> Timeline { get; init; }

    public CheckupForm Checkup { get; set; } = new();
    public MedicationForm Medication { get; set; } = new();
    public ImagingForm Imaging { get; set; } = new();
    public DecisionForm Decision { get; set; } = new();
    public CloseCaseForm Close { get; set; } = new();

    public IReadOnlyList<Consents.ConsentRow> Consents { get; init; } = [];

    /// <summary>Languages with a published template for this case's cell source.</summary>
    public IReadOnlyList<string> ConsentLanguages { get; init; } = [];

    public string StaffName(string? id) => id is not null && StaffNames.TryGetValue(id, out var name) ? name : "—";

    public static async Task<CasePage?> LoadAsync(ClinicDbContext db, Guid id)
    {
        var found = await db.Cases.AsNoTracking()
            .Where(c => c.Id == id)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new { Case = c, p.GivenName, p.FamilyName, p.Mrn, p.DateOfBirth })
            .FirstOrDefaultAsync();
        if (found is null) return null;

        var c = found.Case;
        var staffIds = new[] { c.AssignedClinicianId, c.Screening.DecidedById }.OfType<string>().Distinct().ToList();
        var staff = await db.Users.Where(u => staffIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
        var s = c.Screening;
        var languages = await db.ConsentTemplateVersions
            .Where(v => v.Status == Core.Consent.TemplateVersionStatus.Published
                && db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.CellSource == c.CellSource))
            .Select(v => v.Language).Distinct().OrderBy(l => l).ToListAsync();
        return new CasePage
        {
            Consents = await Features.Consents.ConsentRows.ForCaseAsync(db, id),
            ConsentLanguages = languages,
            Case = c,
            PatientName = $"{found.FamilyName}, {found.GivenName}",
            PatientMrn = found.Mrn,
            PatientDateOfBirth = found.DateOfBirth,
            StaffNames = staff,
            Timeline = Stages.Timeline(c.Stage, c.CellSource),
            Checkup = new CheckupForm
            {
                Version = c.Version,
                CheckupDate = s.CheckupDate,
                MedicalHistory = s.MedicalHistory,
                Notes = s.CheckupNotes,
                BaselinePainNrs = s.BaselinePainNrs,
                Present = s.Contraindications.Select(x => x.Kind).ToList(),
                ContraindicationNotes = s.Contraindications.ToDictionary(x => x.Kind, x => x.Notes),
            },
            Medication = new MedicationForm { Version = c.Version },
            Imaging = new ImagingForm { Version = c.Version },
            Decision = new DecisionForm { Version = c.Version, Outcome = s.Decision, Reason = s.DecisionReason },
            Close = new CloseCaseForm { Version = c.Version },
        };
    }

    /// <summary>What the clinician should do next on this case.</summary>
    public string NextAction => Case.Stage switch
    {
        CaseStage.Screening when Case.Screening.CheckupDate is null => "Record the check-up.",
        CaseStage.Screening when Case.Screening.Imaging.Count == 0 => "Record the imaging.",
        CaseStage.Screening => "Decide eligibility.",
        CaseStage.Eligible when Consents.Any(x => x.Status == Core.Consent.ConsentStatus.Generated) =>
            "Have the patient read and sign the printed consent form, then record the signature.",
        CaseStage.Eligible => "Generate the consent form and have the patient sign it.",
        CaseStage.Consented => "Record the harvest or the receipt of the cell product.",
        CaseStage.NotEligible => "Nothing: the patient is not eligible. Close the case, or update the screening if things change.",
        CaseStage.Closed => "Nothing: the case is closed.",
        _ => "Continue the pathway.",
    };

    public IReadOnlySet<Contraindication> PresentContraindications => Case.Screening.PresentContraindications();
}
