using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;

namespace KneeClinic.Core.Screening;

/// <summary>The contraindications and cautions every screening checks (see DOMAIN.md).</summary>
public enum Contraindication
{
    ActiveInfection,
    BleedingDisorder,
    AnticoagulantTherapy,
    CancerHistory,
    ChronicDiseaseOrFrailty,
    SevereKneeDamage,
}

public enum MedicationKind
{
    Other,
    Anticoagulant,
    Nsaid,
}

public enum ImagingModality
{
    XRay,
    Mri,
}

public enum EligibilityOutcome
{
    Eligible,
    NotEligible,
    EligibleWithOverride,
}

/// <summary>
/// The screening of one case: check-up, medications, imaging, contraindications and the
/// eligibility decision. Part of the <see cref="Cases.Case"/> aggregate: change it through the case.
/// </summary>
public sealed class CaseScreening
{
    private readonly List<Medication> _medications = [];
    private readonly List<ImagingStudy> _imaging = [];
    private readonly List<ContraindicationFinding> _contraindications = [];

    private CaseScreening() { }

    internal CaseScreening(Guid caseId) => CaseId = caseId;

    public Guid CaseId { get; private set; }
    public DateOnly? CheckupDate { get; private set; }
    [PatientData]
    public string? MedicalHistory { get; private set; }
    [PatientData]
    public string? CheckupNotes { get; private set; }

    /// <summary>Baseline knee pain on the 0-10 numeric rating scale.</summary>
    public PainScore? BaselinePainNrs { get; private set; }

    public IReadOnlyList<Medication> Medications => _medications;
    public IReadOnlyList<ImagingStudy> Imaging => _imaging;
    public IReadOnlyList<ContraindicationFinding> Contraindications => _contraindications;

    public EligibilityOutcome? Decision { get; private set; }
    [PatientData]
    public string? DecisionReason { get; private set; }
    /// <summary>The contraindications a clinician chose to override, with <see cref="DecisionReason"/> as the justification.</summary>
    public IReadOnlyList<Contraindication> OverriddenContraindications { get; private set; } = [];
    public string? DecidedById { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    public bool IsEligible => Decision is EligibilityOutcome.Eligible or EligibilityOutcome.EligibleWithOverride;

    /// <summary>
    /// The contraindications that apply: those the clinician ticked, plus those the record itself
    /// shows (an anticoagulant on the medication list, Kellgren-Lawrence grade 4 on imaging).
    /// </summary>
    public IReadOnlySet<Contraindication> PresentContraindications()
    {
        var present = _contraindications.Select(c => c.Kind).ToHashSet();
        if (_medications.Any(m => m.Kind == MedicationKind.Anticoagulant))
            present.Add(Contraindication.AnticoagulantTherapy);
        if (_imaging.Any(i => i.KellgrenLawrenceGrade is { IsEndStage: true }))
            present.Add(Contraindication.SevereKneeDamage);
        return present;
    }

    internal void RecordCheckup(DateOnly date, string? history, string? notes, PainScore baselinePain,
        IEnumerable<(Contraindication Kind, string? Notes)> contraindications)
    {
        CheckupDate = date;
        MedicalHistory = Text(history);
        CheckupNotes = Text(notes);
        BaselinePainNrs = baselinePain;
        _contraindications.Clear();
        foreach (var (kind, text) in contraindications.DistinctBy(c => c.Kind))
            _contraindications.Add(new ContraindicationFinding(kind, Text(text)));
    }

    /// <summary>The KOOS questionnaire before treatment, the baseline that follow-up scores are compared to.</summary>
    public string? BaselineKoosAnswers { get; private set; }
    public FollowUp.KoosScores? BaselineKoos { get; private set; }

    internal void RecordBaselineKoos(FollowUp.KoosAnswers answers)
    {
        BaselineKoosAnswers = answers.ToString();
        BaselineKoos = answers.Score();
    }

    internal void AddMedication(Medication medication) => _medications.Add(medication);

    internal bool RemoveMedication(Guid id) => _medications.RemoveAll(m => m.Id == id) > 0;

    internal void AddImaging(ImagingStudy study) => _imaging.Add(study);

    internal bool RemoveImaging(Guid id) => _imaging.RemoveAll(i => i.Id == id) > 0;

    internal void SetDecision(EligibilityOutcome outcome, string? reason, IReadOnlyList<Contraindication> overridden, string decidedById, DateTimeOffset at)
    {
        Decision = outcome;
        DecisionReason = Text(reason);
        OverriddenContraindications = overridden;
        DecidedById = decidedById;
        DecidedAt = at;
    }

    internal void ClearDecision()
    {
        Decision = null;
        DecisionReason = null;
        OverriddenContraindications = [];
        DecidedById = null;
        DecidedAt = null;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed class ContraindicationFinding
{
    private ContraindicationFinding() { }

    internal ContraindicationFinding(Contraindication kind, string? notes)
    {
        Kind = kind;
        Notes = notes;
    }

    public Contraindication Kind { get; private set; }
    [PatientData]
    public string? Notes { get; private set; }
}

public sealed class Medication
{
    private Medication() { }

    public Medication(string name, string? dose, MedicationKind kind, DateOnly? pauseFrom, DateOnly? resumeOn)
    {
        Name = name.Trim();
        Dose = string.IsNullOrWhiteSpace(dose) ? null : dose.Trim();
        Kind = kind;
        PauseFrom = pauseFrom;
        ResumeOn = resumeOn;
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    [PatientData]
    public string Name { get; private set; } = "";
    [PatientData]
    public string? Dose { get; private set; }
    public MedicationKind Kind { get; private set; }

    /// <summary>Planned first day without the medicine before the procedure.</summary>
    public DateOnly? PauseFrom { get; private set; }
    public DateOnly? ResumeOn { get; private set; }

    /// <summary>Anticoagulants and NSAIDs interfere with the procedure and are flagged.</summary>
    public bool NeedsAttention => Kind != MedicationKind.Other;
}

public sealed class ImagingStudy
{
    private ImagingStudy() { }

    public ImagingStudy(ImagingModality modality, DateOnly performedOn, string findings, KlGrade? kellgrenLawrenceGrade)
    {
        Modality = modality;
        PerformedOn = performedOn;
        Findings = findings.Trim();
        KellgrenLawrenceGrade = kellgrenLawrenceGrade;
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public ImagingModality Modality { get; private set; }
    public DateOnly PerformedOn { get; private set; }
    [PatientData]
    public string Findings { get; private set; } = "";
    public KlGrade? KellgrenLawrenceGrade { get; private set; }
}
