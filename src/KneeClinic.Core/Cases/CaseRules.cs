using KneeClinic.Core.Screening;

namespace KneeClinic.Core.Cases;

/// <summary>The named pathway rules, with the message a clinician sees when one is broken.</summary>
public static class CaseRules
{
    public static readonly RuleViolation CaseClosed = new(nameof(CaseClosed),
        "This case is closed. Nothing more can be recorded on it.");

    public static readonly RuleViolation BaselineAfterInjection = new(nameof(BaselineAfterInjection),
        "Baseline KOOS is taken before the injection. After it, record KOOS at the follow-up visits.");
    public static readonly RuleViolation ScreeningLocked = new(nameof(ScreeningLocked),
        "Screening can no longer change: consent has already been obtained for this case.");

    public static readonly RuleViolation CheckupInFuture = new(nameof(CheckupInFuture),
        "The check-up date cannot be in the future.");

    public static readonly RuleViolation PainOutOfRange = new(nameof(PainOutOfRange),
        "Pain is scored from 0 (no pain) to 10 (worst imaginable).");

    public static readonly RuleViolation ResumeBeforePause = new(nameof(ResumeBeforePause),
        "The date to resume the medicine must be on or after the date it is paused.");

    public static readonly RuleViolation ImagingInFuture = new(nameof(ImagingInFuture),
        "The imaging date cannot be in the future.");

    public static readonly RuleViolation NotFound = new(nameof(NotFound),
        "That entry is no longer part of this screening.");

    public static readonly RuleViolation CheckupMissing = new(nameof(CheckupMissing),
        "Record the check-up (date, baseline pain and contraindications) before deciding eligibility.");

    public static readonly RuleViolation ImagingMissing = new(nameof(ImagingMissing),
        "Record at least one X-ray or MRI before deciding eligibility.");

    public static readonly RuleViolation NotEligibleReasonRequired = new(nameof(NotEligibleReasonRequired),
        "Give the reason the patient is not eligible.");

    public static readonly RuleViolation CloseReasonRequired = new(nameof(CloseReasonRequired),
        "Give the reason the case is closed.");

    public static RuleViolation KneeAlreadyOpen(KneeSide knee) => new(nameof(KneeAlreadyOpen),
        $"This patient already has an open case for the {knee.ToString().ToLowerInvariant()} knee.");

    public static readonly RuleViolation NothingToOverride = new(nameof(NothingToOverride),
        "No contraindication is recorded, so there is nothing to override: choose \"Eligible\".");

    public static readonly RuleViolation ActiveInfectionNotOverridable = new(nameof(ActiveInfectionNotOverridable),
        "An active infection cannot be overridden. Treat it, then record a new check-up once it has cleared.");

    public static readonly RuleViolation JustificationRequired = new(nameof(JustificationRequired),
        $"An override needs a written clinical justification of at least {Case.MinimumJustificationLength} characters.");

    public static RuleViolation ContraindicationPresent(IEnumerable<Contraindication> present) => new(
        nameof(ContraindicationPresent),
        $"This patient has: {string.Join(", ", present.Order().Select(c => c.DisplayName()))}. " +
        "Decide \"Not eligible\", or \"Eligible with override\" with a justification.");
}
