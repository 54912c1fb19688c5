using KneeClinic.Core.Screening;

namespace KneeClinic.Core.Cases;

/// <summary>
/// One knee treated for one patient, from screening to the last follow-up. Every stage change is
/// a method here that either succeeds or returns the <see cref="RuleViolation"/> it would break.
/// </summary>
public sealed class Case : Aggregate
{
    public const int MinimumJustificationLength = 20;

    private Case() { }

    public Case(Guid patientId, KneeSide knee, CellSource cellSource, int? kellgrenLawrenceGrade,
        string assignedClinicianId, DateTimeOffset openedAt)
    {
        PatientId = patientId;
        Knee = knee;
        CellSource = cellSource;
        KellgrenLawrenceGrade = kellgrenLawrenceGrade;
        AssignedClinicianId = assignedClinicianId;
        OpenedAt = openedAt;
        Stage = CaseStage.Screening;
        Screening = new CaseScreening(Id);
    }

    public Guid PatientId { get; private set; }
    public KneeSide Knee { get; private set; }
    public CellSource CellSource { get; private set; }

    /// <summary>Radiographic osteoarthritis severity, 0 (none) to 4 (severe).</summary>
    public int? KellgrenLawrenceGrade { get; private set; }

    public CaseStage Stage { get; private set; }
    public string AssignedClinicianId { get; private set; } = "";
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? CloseReason { get; private set; }

    public CaseScreening Screening { get; private set; } = null!;

    /// <summary>Screening can change until a consent has been obtained; after that the decision stands.</summary>
    /// <summary>The injection has been given: the case is in (or done with) follow-up.</summary>
    public bool HasBeenInjected => Stage is CaseStage.Injected or CaseStage.FollowUp or CaseStage.Completed;

    public bool ScreeningIsOpen => Stage is CaseStage.Screening or CaseStage.Eligible or CaseStage.NotEligible;

    public RuleViolation? RecordCheckup(DateOnly date, string? history, string? notes, int baselinePainNrs,
        IEnumerable<(Contraindication Kind, string? Notes)> contraindications, DateOnly today)
    {
        if (Guard() is { } locked) return locked;
        if (date > today) return CaseRules.CheckupInFuture;
        if (baselinePainNrs is < 0 or > 10) return CaseRules.PainOutOfRange;

        Screening.RecordCheckup(date, history, notes, baselinePainNrs, contraindications);
        ReopenDecision();
        return null;
    }

    /// <summary>
    /// Baseline KOOS; it informs the outcome charts, not the eligibility decision, so the decision stands. Often
    /// filled in at the consent visit, so it may be taken until the injection, never after.
    /// </summary>
    public RuleViolation? RecordBaselineKoos(FollowUp.KoosAnswers answers)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (HasBeenInjected) return CaseRules.BaselineAfterInjection;
        Screening.RecordBaselineKoos(answers);
        return null;
    }

    public RuleViolation? AddMedication(Medication medication)
    {
        if (Guard() is { } locked) return locked;
        if (medication.PauseFrom is { } from && medication.ResumeOn is { } to && to < from)
            return CaseRules.ResumeBeforePause;

        Screening.AddMedication(medication);
        ReopenDecision();
        return null;
    }

    public RuleViolation? RemoveMedication(Guid medicationId)
    {
        if (Guard() is { } locked) return locked;
        if (!Screening.RemoveMedication(medicationId)) return CaseRules.NotFound;
        ReopenDecision();
        return null;
    }

    public RuleViolation? AddImaging(ImagingStudy study, DateOnly today)
    {
        if (Guard() is { } locked) return locked;
        if (study.PerformedOn > today) return CaseRules.ImagingInFuture;
        if (study.KellgrenLawrenceGrade is < 0 or > 4) return CaseRules.GradeOutOfRange;

        Screening.AddImaging(study);
        KellgrenLawrenceGrade = Screening.Imaging
            .Where(i => i.KellgrenLawrenceGrade is not null)
            .OrderBy(i => i.PerformedOn)
            .LastOrDefault()?.KellgrenLawrenceGrade ?? KellgrenLawrenceGrade;
        ReopenDecision();
        return null;
    }

    public RuleViolation? RemoveImaging(Guid studyId)
    {
        if (Guard() is { } locked) return locked;
        if (!Screening.RemoveImaging(studyId)) return CaseRules.NotFound;
        ReopenDecision();
        return null;
    }

    /// <summary>
    /// Records the eligibility decision. A case with any present contraindication can only be
    /// declared eligible through an explicit, justified override of every one of them, and an
    /// active infection can never be overridden: it has to be cleared and the check-up recorded again.
    /// </summary>
    public RuleViolation? DecideEligibility(EligibilityOutcome outcome, string? reason, string clinicianId, DateTimeOffset at)
    {
        if (Guard() is { } locked) return locked;
        if (Screening.CheckupDate is null) return CaseRules.CheckupMissing;
        if (Screening.Imaging.Count == 0) return CaseRules.ImagingMissing;

        var present = Screening.PresentContraindications();
        var overridden = Array.Empty<Contraindication>();
        switch (outcome)
        {
            case EligibilityOutcome.NotEligible when string.IsNullOrWhiteSpace(reason):
                return CaseRules.ReasonRequired;
            case EligibilityOutcome.Eligible when present.Count > 0:
                return CaseRules.ContraindicationPresent(present);
            case EligibilityOutcome.EligibleWithOverride:
                if (present.Count == 0) return CaseRules.NothingToOverride;
                if (present.Contains(Contraindication.ActiveInfection)) return CaseRules.ActiveInfectionNotOverridable;
                if ((reason?.Trim().Length ?? 0) < MinimumJustificationLength) return CaseRules.JustificationRequired;
                overridden = [.. present.Order()];
                break;
        }

        Screening.SetDecision(outcome, reason, overridden, clinicianId, at);
        Stage = Screening.IsEligible ? CaseStage.Eligible : CaseStage.NotEligible;
        return null;
    }

    public RuleViolation? Close(string reason, DateTimeOffset at)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (string.IsNullOrWhiteSpace(reason)) return CaseRules.ReasonRequired;
        Stage = CaseStage.Closed;
        ClosedAt = at;
        CloseReason = reason.Trim();
        return null;
    }

    public void AssignTo(string clinicianId) => AssignedClinicianId = clinicianId;

    /// <summary>A consent form can be made once the patient is eligible, and again (re-consent) until the injection.</summary>
    public RuleViolation? CanGenerateConsent() => Stage switch
    {
        CaseStage.Closed => Consent.ConsentRules.CaseClosed,
        CaseStage.Injected or CaseStage.FollowUp or CaseStage.Completed => Consent.ConsentRules.TooLateInPathway,
        _ when !Screening.IsEligible => Consent.ConsentRules.NotEligible,
        _ => null,
    };

    /// <summary>
    /// The signed consent moves an eligible case on; later stages keep theirs. A form printed before the
    /// current eligibility decision was taken no longer describes this case and is refused.
    /// </summary>
    public RuleViolation? ConsentSigned(DateTimeOffset printedAt)
    {
        if (CanGenerateConsent() is { } violation) return violation;
        if (Screening.DecidedAt > printedAt) return Consent.ConsentRules.ScreeningChangedSincePrinted;
        if (Stage == CaseStage.Eligible) Stage = CaseStage.Consented;
        return null;
    }

    /// <summary>
    /// The patient withdrew: before anything was done the case returns to eligible (a new consent may follow);
    /// later, the procedure gates stop every further step.
    /// </summary>
    public void ConsentWithdrawn()
    {
        if (Stage == CaseStage.Consented) Stage = CaseStage.Eligible;
    }

    /// <summary>Harvest or receipt: the patient is eligible and has consented, and no product is in hand yet.</summary>
    internal RuleViolation? CanObtainProduct() => Stage switch
    {
        CaseStage.Closed => CaseRules.CaseClosed,
        _ when !Screening.IsEligible => Procedures.PathwayRules.NotEligible,
        CaseStage.Consented => null,
        CaseStage.ProductObtained or CaseStage.ProductReleased or CaseStage.Injected or CaseStage.FollowUp or CaseStage.Completed
            => Procedures.PathwayRules.ProductAlreadyObtained,
        _ => Procedures.PathwayRules.NotConsented,
    };

    internal void ProductObtained() => Stage = CaseStage.ProductObtained;

    /// <summary>A rejected product is discarded: the case waits for a new harvest or receipt.</summary>
    internal void ProductProcessed(bool released) => Stage = released ? CaseStage.ProductReleased : CaseStage.Consented;

    internal void ProductDiscarded() => Stage = CaseStage.Consented;

    internal void Injected() => Stage = CaseStage.Injected;

    internal void FollowUpProgressed(bool allVisitsDone) => Stage = allVisitsDone ? CaseStage.Completed : CaseStage.FollowUp;

    private RuleViolation? Guard() => Stage == CaseStage.Closed ? CaseRules.CaseClosed
        : ScreeningIsOpen ? null
        : CaseRules.ScreeningLocked;

    /// <summary>A decision taken on different screening facts no longer stands.</summary>
    private void ReopenDecision()
    {
        if (Screening.Decision is null) return;
        Screening.ClearDecision();
        Stage = CaseStage.Screening;
    }
}
