using System.ComponentModel.DataAnnotations;
using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using KneeClinic.Web.Features.Cases;

namespace KneeClinic.Web.Features.Procedures;

/// <summary>
/// A date and time typed in the clinic's time zone (datetime-local), within the years the clinic can convert to UTC.
/// Checked on the server only: a browser's range check compares numbers and would refuse every date and time.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ClinicTimeAttribute : ValidationAttribute
{
    public static readonly DateTime Earliest = new(1900, 1, 1);
    public static readonly DateTime Latest = new(2200, 1, 1);

    public override bool IsValid(object? value) => value is not DateTime at || (at >= Earliest && at <= Latest);

    public override string FormatErrorMessage(string name) => ErrorMessage ?? $"Check the date and time: {name}.";
}

public sealed class HarvestForm : CaseFormBase
{
    [Required, ClinicTime, Display(Name = "Started")]
    public DateTime? StartedAt { get; set; }

    [Required, ClinicTime, Display(Name = "Ended")]
    public DateTime? EndedAt { get; set; }

    [Required, StringLength(200), Display(Name = "Harvest site")]
    public string Site { get; set; } = "";

    [Required, Range(0.1, 1000, ErrorMessage = "Give the volume harvested, from 0.1 to 1000 mL."), Display(Name = "Volume harvested (mL)")]
    public decimal? VolumeMl { get; set; }

    [Required, StringLength(200), Display(Name = "Anaesthesia")]
    public string Anaesthesia { get; set; } = "";

    [StringLength(64), Display(Name = "Anticoagulant lot")]
    public string? AnticoagulantLot { get; set; }

    [DataType(DataType.Date), Display(Name = "Anticoagulant expiry")]
    public DateOnly? AnticoagulantExpiry { get; set; }

    [Required(ErrorMessage = "Choose who performed the harvest."), Display(Name = "Operator")]
    public string? OperatorId { get; set; }

    [StringLength(2000), Display(Name = "Complications (none: leave empty)")]
    public string? Complications { get; set; }
}

public sealed class ReceiptForm : CaseFormBase
{
    [Required, StringLength(200)]
    public string Supplier { get; set; } = "";

    [Required, StringLength(64), Display(Name = "Lot number")]
    public string Lot { get; set; } = "";

    [Required, DataType(DataType.Date), Display(Name = "Lot expiry")]
    public DateOnly? Expiry { get; set; }

    [Required, StringLength(128), Display(Name = "Donor-eligibility reference")]
    public string DonorEligibilityReference { get; set; } = "";

    [Required, ClinicTime, Display(Name = "Received")]
    public DateTime? ReceivedAt { get; set; }

    [Required(ErrorMessage = "Choose who received the product."), Display(Name = "Received by")]
    public string? ReceivedById { get; set; }

    [Required, StringLength(200), Display(Name = "Storage (where and how)")]
    public string Storage { get; set; } = "";
}

/// <summary>
/// Processing, or thawing and preparation of a donor product, with the release decision. The operator is the
/// signed-in user; the second verifier confirms with their own password (and authenticator code, if they have one), so nobody can name a colleague who was not there.
/// </summary>
public sealed class ProcessingForm : CaseFormBase
{
    [Required, StringLength(200)]
    public string Method { get; set; } = "";

    [Required, StringLength(200)]
    public string Device { get; set; } = "";

    [Required, StringLength(64), Display(Name = "Kit lot")]
    public string KitLot { get; set; } = "";

    [Required, DataType(DataType.Date), Display(Name = "Kit expiry")]
    public DateOnly? KitExpiry { get; set; }

    [Required, ClinicTime, Display(Name = "Started")]
    public DateTime? StartedAt { get; set; }

    [Required, ClinicTime, Display(Name = "Ended")]
    public DateTime? EndedAt { get; set; }

    [Required, Range(0.1, 1000, ErrorMessage = "Give the output volume, from 0.1 to 1000 mL."), Display(Name = "Output volume (mL)")]
    public decimal? OutputVolumeMl { get; set; }

    [Range(0, 1e15, ErrorMessage = "The cell count cannot be negative."), Display(Name = "Total nucleated cells")]
    public decimal? TotalNucleatedCells { get; set; }

    // Double bounds: RangeAttribute with int bounds converts a decimal to Int32 and fails on a huge value.
    [Range(0.0, 100.0, ErrorMessage = "Viability is a percentage from 0 to 100."), Display(Name = "Viability (%)")]
    public decimal? ViabilityPercent { get; set; }

    [Required(ErrorMessage = "Choose the second verifier."), Display(Name = "Second verifier")]
    public string? VerifierId { get; set; }

    [Required(ErrorMessage = "The second verifier types their own password to confirm."), DataType(DataType.Password), Display(Name = "Verifier's password")]
    public string? VerifierPassword { get; set; }

    /// <summary>The current code from the verifier's authenticator app, when their account has two-factor login.</summary>
    [StringLength(12), Display(Name = "Verifier's code (if they use two-factor login)")]
    public string? VerifierCode { get; set; }

    [Required(ErrorMessage = "Choose release or reject."), Display(Name = "Release decision")]
    public ReleaseDecision? Release { get; set; }

    [Required, ClinicTime, Display(Name = "Decided at")]
    public DateTime? DecidedAt { get; set; }

    [ClinicTime, Display(Name = "Use by (released products)")]
    public DateTime? UseBy { get; set; }

    [StringLength(2000), Display(Name = "Release note (the reason, if rejected)")]
    public string? ReleaseNote { get; set; }
}

public sealed class DiscardForm : CaseFormBase
{
    [Required(ErrorMessage = "Give the reason the product is discarded."), StringLength(2000), Display(Name = "Reason")]
    public string Reason { get; set; } = "";
}

/// <summary>The bedside time-out before the needle: the product scanned, the knee marked, two identifiers confirmed.</summary>
public sealed class TimeOutForm : CaseFormBase
{
    [Required(ErrorMessage = "Scan or type the product code from the label."), StringLength(32), Display(Name = "Product code (scan or type from the label)")]
    public string ProductCode { get; set; } = "";

    [Required(ErrorMessage = "Confirm which knee is marked for the injection."), Display(Name = "Knee marked for the injection")]
    public KneeSide? Knee { get; set; }

    [Display(Name = "The patient said their full name and date of birth, and both match the ones shown here")]
    public bool NameAndBirthDateConfirmed { get; set; }

    [Display(Name = "The record number on the patient's wristband matches the one shown here")]
    public bool RecordNumberConfirmed { get; set; }
}

/// <summary>The injection record, opened by a time-out: the product and the knee are the ones it checked.</summary>
public sealed class InjectionForm : CaseFormBase
{
    [Display(Name = "Guided by ultrasound")]
    public bool UltrasoundGuided { get; set; }

    [Required, Range(0.1, 100, ErrorMessage = "Give the volume injected, from 0.1 to 100 mL."), Display(Name = "Volume injected (mL)")]
    public decimal? VolumeMl { get; set; }

    [Required, StringLength(200)]
    public string Approach { get; set; } = "";

    [Required, ClinicTime, Display(Name = "Injected at")]
    public DateTime? PerformedAt { get; set; }

    [StringLength(2000), Display(Name = "Immediate reaction (none: leave empty)")]
    public string? ImmediateReaction { get; set; }

    [Display(Name = "Discharge instructions given")]
    public bool DischargeInstructionsGiven { get; set; }
}

/// <summary>The 42 KOOS answers as posted: K[0] ... K[41], each 0-4 or empty when the patient left it blank.</summary>
public sealed class KoosForm
{
    public List<int?> K { get; set; } = [.. new int?[KoosAnswers.ItemCount]];

    public bool IsEmpty => K.All(k => k is null);

    /// <summary>The answers, or null with the problem when the list is not 42 answers of 0 to 4.</summary>
    public KoosAnswers? Answers(out string? problem)
    {
        problem = K.Count != KoosAnswers.ItemCount || K.Any(k => k is < 0 or > 4)
            ? "Each KOOS answer is 0 to 4, or left blank." : null;
        return problem is null && !IsEmpty ? new KoosAnswers(K) : null;
    }

    public static KoosForm From(string? stored) =>
        stored is null ? new KoosForm() : new KoosForm { K = [.. KoosAnswers.Parse(stored).Items] };
}

public sealed class VisitForm : CaseFormBase
{
    [Required, ClinicTime, Display(Name = "Visit date and time")]
    public DateTime? VisitedAt { get; set; }

    [Required, Range(0, 10, ErrorMessage = "Pain is scored from 0 to 10."), Display(Name = "Knee pain today (NRS 0-10)")]
    public int? PainNrs { get; set; }

    [Display(Name = "Rehabilitation stage")]
    public RehabilitationStage? RehabilitationStage { get; set; }

    [StringLength(4000)]
    public string? Notes { get; set; }

    public KoosForm Koos { get; set; } = new();
}

public sealed class BaselineKoosForm : CaseFormBase
{
    public KoosForm Koos { get; set; } = new();
}

public sealed class MarkMissedForm : CaseFormBase
{
    [Required]
    public Guid VisitId { get; set; }

    /// <summary>Why the visit was missed; required by the rule (<c>MissedReasonRequired</c>), which gives the message.</summary>
    [StringLength(Core.FollowUp.FollowUpVisit.MissedReasonMaxLength)]
    public string? Reason { get; set; }
}

/// <summary>Marks an adverse event entered by mistake; the rule (<c>ErrorReasonRequired</c>) asks for the reason.</summary>
public sealed class EnteredInErrorForm : CaseFormBase
{
    public Guid EventVersion { get; set; }

    [StringLength(1000), Display(Name = "Why is this entry wrong?")]
    public string? Reason { get; set; }
}

public sealed class AdverseEventForm : CaseFormBase
{
    /// <summary>The event's own version when updating one.</summary>
    public Guid EventVersion { get; set; }

    [Required, DataType(DataType.Date), Display(Name = "Onset date")]
    public DateOnly? OnsetOn { get; set; }

    [Required(ErrorMessage = "Choose a category.")]
    public AdverseEventCategory? Category { get; set; }

    [Required(ErrorMessage = "Choose the CTCAE grade."), Range(1, 5, ErrorMessage = "The CTCAE grade runs from 1 (mild) to 5 (death)."), Display(Name = "CTCAE grade")]
    public int? CtcaeGrade { get; set; }

    /// <summary>The serious criteria ticked (none: not serious).</summary>
    public List<SeriousCriteria> Serious { get; set; } = [];

    [Required(ErrorMessage = "Choose how likely the treatment caused it.")]
    public Relatedness? Relatedness { get; set; }

    [Required(ErrorMessage = "Describe what happened."), StringLength(4000), Display(Name = "What happened")]
    public string Description { get; set; } = "";

    [StringLength(2000), Display(Name = "Action taken")]
    public string? ActionTaken { get; set; }

    [Required(ErrorMessage = "Choose the outcome so far.")]
    public AdverseEventOutcome? Outcome { get; set; }

    [DataType(DataType.Date), Display(Name = "Resolved on")]
    public DateOnly? ResolvedOn { get; set; }

    public AdverseEventDetails Details() => new(OnsetOn!.Value, Category!.Value, CtcaeGrade!.Value,
        Serious.Aggregate(SeriousCriteria.None, (all, one) => all | one), Relatedness!.Value, Description, ActionTaken,
        Outcome!.Value, ResolvedOn);

    public static AdverseEventForm From(AdverseEvent e, Guid caseVersion) => new()
    {
        Version = caseVersion,
        EventVersion = e.Version,
        OnsetOn = e.OnsetOn,
        Category = e.Category,
        CtcaeGrade = e.CtcaeGrade,
        Serious = [.. Enum.GetValues<SeriousCriteria>().Where(s => s != SeriousCriteria.None && e.Serious.HasFlag(s))],
        Relatedness = e.Relatedness,
        Description = e.Description,
        ActionTaken = e.ActionTaken,
        Outcome = e.Outcome,
        ResolvedOn = e.ResolvedOn,
    };
}
