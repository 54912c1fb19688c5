using KneeClinic.Core.Audit;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Screening;

namespace KneeClinic.Web.Features;

/// <summary>How the domain's enums read on screen. Every member is named, so a new member fails the build until it has words.</summary>
public static class Labels
{
    public static string Label(this AdverseEventCategory category) => category switch
    {
        AdverseEventCategory.Infection => "Infection",
        AdverseEventCategory.PainSwelling => "Pain or swelling",
        AdverseEventCategory.BleedingBruising => "Bleeding or bruising",
        AdverseEventCategory.FlareUp => "Flare-up",
        AdverseEventCategory.ImmuneReaction => "Immune reaction",
        AdverseEventCategory.Tumour => "Tumour",
        AdverseEventCategory.UnexpectedDifferentiation => "Unexpected tissue growth (differentiation)",
        AdverseEventCategory.Other => "Other",
    };

    public static string Label(this Relatedness relatedness) => relatedness switch
    {
        Relatedness.NotRelated => "Not related",
        Relatedness.Unlikely => "Unlikely",
        Relatedness.Possible => "Possibly",
        Relatedness.Probable => "Probably",
        Relatedness.Definite => "Definitely",
    };

    public static string Label(this AdverseEventOutcome outcome) => outcome switch
    {
        AdverseEventOutcome.Ongoing => "Ongoing",
        AdverseEventOutcome.Resolved => "Resolved",
        AdverseEventOutcome.ResolvedWithSequelae => "Resolved with after-effects",
        AdverseEventOutcome.Fatal => "Fatal",
        AdverseEventOutcome.Unknown => "Unknown",
    };

    /// <summary>One seriousness criterion in words; <see cref="SeriousCriteria.None"/> reads "Not serious".</summary>
    public static string Label(this SeriousCriteria criterion) => criterion switch
    {
        SeriousCriteria.None => "Not serious",
        SeriousCriteria.Death => "Death",
        SeriousCriteria.LifeThreatening => "Life-threatening",
        SeriousCriteria.Hospitalisation => "Hospital stay (or a longer one)",
        SeriousCriteria.Disability => "Lasting disability",
        SeriousCriteria.CongenitalAnomaly => "Birth defect (congenital anomaly)",
        SeriousCriteria.OtherImportantEvent => "Other important medical event",
        _ => string.Join(", ", Enum.GetValues<SeriousCriteria>().Where(c => c != SeriousCriteria.None && criterion.HasFlag(c)).Select(c => c.Label())),
    };

    public static string Label(this MedicationKind kind) => kind switch
    {
        MedicationKind.Nsaid => "NSAID",
        MedicationKind.Anticoagulant => "Anticoagulant",
        MedicationKind.Other => "Other",
    };

    public static string Label(this EligibilityOutcome outcome) => outcome switch
    {
        EligibilityOutcome.Eligible => "Eligible",
        EligibilityOutcome.NotEligible => "Not eligible",
        EligibilityOutcome.EligibleWithOverride => "Eligible with override",
    };

    public static string Label(this AuditAction action) => action switch
    {
        AuditAction.Created => "Created",
        AuditAction.Updated => "Changed",
        AuditAction.Deleted => "Deleted",
        AuditAction.Viewed => "Viewed",
        AuditAction.Downloaded => "Downloaded",
        AuditAction.Exported => "Exported",
        AuditAction.SignedIn => "Signed in",
        AuditAction.SignInFailed => "Sign-in failed",
        AuditAction.LockedOut => "Locked out",
        AuditAction.SignedOut => "Signed out",
        AuditAction.TwoFactorEnabled => "Two-factor login turned on",
        AuditAction.TwoFactorDisabled => "Two-factor login turned off",
        AuditAction.PasswordReset => "Password reset by an administrator",
        AuditAction.ChainVerified => "Chain verified",
        AuditAction.Revealed => "Patient data revealed",
    };

    public static string Badge(this TemplateVersionStatus status) => status switch
    {
        TemplateVersionStatus.Published => "text-bg-success",
        TemplateVersionStatus.Draft => "text-bg-warning",
        TemplateVersionStatus.Retired => "text-bg-secondary",
    };

    public static string Badge(this ConsentStatus status) => status switch
    {
        ConsentStatus.Signed => "text-bg-success",
        ConsentStatus.Generated => "text-bg-warning",
        ConsentStatus.Withdrawn or ConsentStatus.Voided => "text-bg-secondary",
    };

    public static string CssClass(this StepState state) => state switch
    {
        StepState.Done => "done",
        StepState.Current => "current",
        StepState.Stopped => "blocked",
        StepState.Upcoming => "",
    };

    /// <summary>How a step's state is read out by a screen reader after its name.</summary>
    public static string Label(this StepState state) => state switch
    {
        StepState.Done => "done",
        StepState.Current => "in progress",
        StepState.Stopped => "stopped",
        StepState.Upcoming => "not started",
    };
}
