using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;

namespace KneeClinic.Core.FollowUp;

public enum VisitStatus
{
    Scheduled,
    Completed,
    Missed,
}

public enum RehabilitationStage
{
    ImmediateRecovery,
    EarlyRehabilitation,
    AdvancedRehabilitation,
    LongTermMonitoring,
}

/// <summary>A scheduled visit after the injection, and what was measured at it.</summary>
public sealed class FollowUpVisit : Aggregate
{
    private FollowUpVisit() { }

    internal FollowUpVisit(Guid caseId, string label, DateOnly dueOn, DateOnly windowOpens, DateOnly windowCloses)
    {
        CaseId = caseId;
        Label = label;
        DueOn = dueOn;
        WindowOpens = windowOpens;
        WindowCloses = windowCloses;
        Status = VisitStatus.Scheduled;
    }

    public Guid CaseId { get; private set; }
    public string Label { get; private set; } = "";
    public DateOnly DueOn { get; private set; }
    public DateOnly WindowOpens { get; private set; }
    public DateOnly WindowCloses { get; private set; }
    public VisitStatus Status { get; private set; }
    public DateTimeOffset? VisitedAt { get; private set; }
    public string? ClinicianId { get; private set; }
    public PainScore? PainNrs { get; private set; }

    /// <summary>The questionnaire as answered, 42 characters (see <see cref="KoosAnswers"/>); null if not filled in.</summary>
    public string? KoosAnswers { get; private set; }
    public KoosScores? Koos { get; private set; }
    public RehabilitationStage? RehabilitationStage { get; private set; }
    [PatientData]
    public string? Notes { get; private set; }
    public DateOnly? MarkedMissedOn { get; private set; }
    [PatientData]
    public string? MissedReason { get; private set; }

    public const int MissedReasonMaxLength = 500;

    /// <summary>Still waiting although its window has closed.</summary>
    public bool IsOverdue(DateOnly today) => Status == VisitStatus.Scheduled && today > WindowCloses;

    internal RuleViolation? Record(VisitEntry entry, DateOnly visitedOn, DateOnly today)
    {
        if (Status == VisitStatus.Completed) return FollowUpRules.VisitAlreadyRecorded;
        if (visitedOn > today) return FollowUpRules.VisitInFuture;
        if (visitedOn < WindowOpens) return FollowUpRules.VisitTooEarly(this);
        if (PainScore.From(entry.PainNrs) is not { } pain) return Cases.CaseRules.PainOutOfRange;
        Status = VisitStatus.Completed;
        VisitedAt = entry.VisitedAt;
        ClinicianId = entry.ClinicianId;
        PainNrs = pain;
        KoosAnswers = entry.Koos?.ToString();
        Koos = entry.Koos?.Score();
        RehabilitationStage = entry.Stage;
        Notes = string.IsNullOrWhiteSpace(entry.Notes) ? null : entry.Notes.Trim();
        MarkedMissedOn = null;
        MissedReason = null;
        return null;
    }

    internal RuleViolation? MarkMissed(DateOnly today, string? reason)
    {
        if (Status != VisitStatus.Scheduled) return FollowUpRules.NotScheduled;
        if (today <= WindowCloses) return FollowUpRules.WindowStillOpen(this);
        if (string.IsNullOrWhiteSpace(reason)) return FollowUpRules.MissedReasonRequired;
        Status = VisitStatus.Missed;
        MarkedMissedOn = today;
        MissedReason = reason.Trim();
        return null;
    }
}

/// <summary>What the clinician records at a follow-up visit.</summary>
public sealed record VisitEntry(DateTimeOffset VisitedAt, string ClinicianId, int PainNrs, KoosAnswers? Koos, RehabilitationStage? Stage, string? Notes);

/// <summary>One visit of the schedule: due so many days after the injection, with a window around it.</summary>
public sealed record ScheduledVisit(string Label, int DaysAfterInjection, int WindowDaysBefore, int WindowDaysAfter);

/// <summary>The visits every injected case gets (DOMAIN: 2 weeks, 6 weeks, 3, 6 and 12 months).</summary>
public sealed class FollowUpSchedule(IReadOnlyList<ScheduledVisit> visits)
{
    public static FollowUpSchedule Default { get; } = new(
    [
        new("2 weeks", 14, 3, 4), new("6 weeks", 42, 7, 7), new("3 months", 91, 14, 14),
        new("6 months", 182, 21, 28), new("12 months", 365, 30, 60),
    ]);

    public IReadOnlyList<ScheduledVisit> Visits { get; } = visits.Count > 0 && visits.All(v => v.DaysAfterInjection > 0 && v.WindowDaysBefore >= 0 && v.WindowDaysAfter >= 0)
        ? [.. visits.OrderBy(v => v.DaysAfterInjection)]
        : throw new ArgumentException("A follow-up schedule needs at least one visit, each after the injection, with windows of 0 days or more.");

    internal IReadOnlyList<FollowUpVisit> For(Guid caseId, DateOnly injectedOn) =>
    [
        .. Visits.Select(v =>
        {
            var due = injectedOn.AddDays(v.DaysAfterInjection);
            return new FollowUpVisit(caseId, v.Label, due, due.AddDays(-v.WindowDaysBefore), due.AddDays(v.WindowDaysAfter));
        }),
    ];
}

public static class FollowUpRules
{
    public static readonly RuleViolation VisitAlreadyRecorded = new(nameof(VisitAlreadyRecorded),
        "This visit has already been recorded.");
    public static readonly RuleViolation VisitInFuture = new(nameof(VisitInFuture),
        "The visit date cannot be in the future.");
    public static readonly RuleViolation MissedReasonRequired = new(nameof(MissedReasonRequired),
        "Say why the visit was missed (for example: no answer after three calls, moved away).");
    public static readonly RuleViolation NotScheduled = new(nameof(NotScheduled),
        "Only a visit that is still scheduled can be marked as missed.");
    public static readonly RuleViolation NotInjected = new(nameof(NotInjected),
        "Follow-up visits start after the injection.");
    public static readonly RuleViolation VisitNotOfCase = new(nameof(VisitNotOfCase),
        "That visit does not belong to this case.");

    public static RuleViolation VisitTooEarly(FollowUpVisit visit) => new(nameof(VisitTooEarly),
        $"The {visit.Label} visit can be recorded from {visit.WindowOpens:d MMM yyyy}; this date is before its window opens.");

    public static RuleViolation WindowStillOpen(FollowUpVisit visit) => new(nameof(WindowStillOpen),
        $"The {visit.Label} visit can still happen until {visit.WindowCloses:d MMM yyyy}. Mark it missed only after that.");
}

public enum AdverseEventCategory
{
    Infection,
    PainSwelling,
    BleedingBruising,
    FlareUp,
    ImmuneReaction,
    Tumour,
    UnexpectedDifferentiation,
    Other,
}

[Flags]
public enum SeriousCriteria
{
    None = 0,
    Death = 1,
    LifeThreatening = 2,
    Hospitalisation = 4,
    Disability = 8,
    CongenitalAnomaly = 16,
    // Stored by name, so the numbers may change as criteria are added.
    OtherImportantEvent = 32,
}

public enum Relatedness
{
    NotRelated,
    Unlikely,
    Possible,
    Probable,
    Definite,
}

public enum AdverseEventOutcome
{
    Ongoing,
    Resolved,
    ResolvedWithSequelae,
    Fatal,
    Unknown,
}

/// <summary>An adverse event at any stage, graded CTCAE 1 (mild) to 5 (death).</summary>
public sealed class AdverseEvent : Aggregate
{
    private AdverseEvent() { }

    internal AdverseEvent(Guid caseId, string reportedById, DateTimeOffset reportedAt)
    {
        CaseId = caseId;
        ReportedById = reportedById;
        ReportedAt = reportedAt;
    }

    public Guid CaseId { get; private set; }
    public DateOnly OnsetOn { get; private set; }
    public AdverseEventCategory Category { get; private set; }
    public int CtcaeGrade { get; private set; }
    public SeriousCriteria Serious { get; private set; }
    public bool IsSerious => Serious != SeriousCriteria.None;
    public Relatedness Relatedness { get; private set; }
    [PatientData]
    public string Description { get; private set; } = "";
    [PatientData]
    public string? ActionTaken { get; private set; }
    public AdverseEventOutcome Outcome { get; private set; }
    public DateOnly? ResolvedOn { get; private set; }
    public string ReportedById { get; private set; } = "";
    public DateTimeOffset ReportedAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>When the clinic first knew the event was serious: the reporting clock starts then.</summary>
    public DateTimeOffset? SeriousKnownAt { get; private set; }

    /// <summary>An entry made by mistake (wrong patient, duplicate) is marked, never deleted: the record of it stays.</summary>
    public DateTimeOffset? EnteredInErrorAt { get; private set; }
    public string? EnteredInErrorById { get; private set; }
    [PatientData]
    public string? EnteredInErrorReason { get; private set; }
    public bool EnteredInError => EnteredInErrorAt is not null;

    public bool IsOpen => !EnteredInError && Outcome is AdverseEventOutcome.Ongoing or AdverseEventOutcome.Unknown;

    /// <summary>
    /// The day a serious event must be reported by (to the IRB and, under an IND, the FDA): the clinic's reporting
    /// period counted from the day it was known to be serious. Null for an event that is not serious or was entered in error.
    /// </summary>
    public DateOnly? ReportDueOn(int reportingDays, Func<DateTimeOffset, DateOnly> clinicDay) =>
        IsSerious && !EnteredInError && SeriousKnownAt is { } known ? clinicDay(known).AddDays(reportingDays) : null;

    /// <summary>Updates what is known: grade, action, outcome and resolution as the event evolves.</summary>
    internal RuleViolation? Update(AdverseEventDetails details, DateTimeOffset now, DateOnly today)
    {
        if (EnteredInError) return AdverseEventRules.AlreadyEnteredInError;
        if (Apply(details, now, today) is { } violation) return violation;
        UpdatedAt = now;
        return null;
    }

    internal RuleViolation? MarkEnteredInError(string? reason, string byId, DateTimeOffset now)
    {
        if (EnteredInError) return AdverseEventRules.AlreadyEnteredInError;
        if (string.IsNullOrWhiteSpace(reason)) return AdverseEventRules.ErrorReasonRequired;
        EnteredInErrorAt = now;
        EnteredInErrorById = byId;
        EnteredInErrorReason = reason.Trim();
        return null;
    }

    internal RuleViolation? Apply(AdverseEventDetails d, DateTimeOffset now, DateOnly today)
    {
        if (d.OnsetOn > today) return AdverseEventRules.OnsetInFuture;
        if (d.CtcaeGrade is < 1 or > 5) return AdverseEventRules.CtcaeGradeOutOfRange;
        if (string.IsNullOrWhiteSpace(d.Description)) return AdverseEventRules.DescriptionRequired;
        var death = d.Serious.HasFlag(SeriousCriteria.Death);
        var gradeFive = d.CtcaeGrade == 5;
        var fatal = d.Outcome == AdverseEventOutcome.Fatal;
        if (gradeFive != death || fatal != death) return AdverseEventRules.DeathMustAgree;
        if (d.CtcaeGrade >= 4 && d.Serious == SeriousCriteria.None) return AdverseEventRules.SevereMustBeSerious;
        var resolved = d.Outcome is AdverseEventOutcome.Resolved or AdverseEventOutcome.ResolvedWithSequelae;
        if (resolved && d.ResolvedOn is null) return AdverseEventRules.ResolutionDateRequired;
        if (!resolved && d.ResolvedOn is not null) return AdverseEventRules.ResolutionDateOnlyWhenResolved;
        if (d.ResolvedOn < d.OnsetOn || d.ResolvedOn > today) return AdverseEventRules.ResolutionDateOutOfRange;

        OnsetOn = d.OnsetOn;
        Category = d.Category;
        CtcaeGrade = d.CtcaeGrade;
        Serious = d.Serious;
        Relatedness = d.Relatedness;
        Description = d.Description.Trim();
        ActionTaken = string.IsNullOrWhiteSpace(d.ActionTaken) ? null : d.ActionTaken.Trim();
        Outcome = d.Outcome;
        ResolvedOn = d.ResolvedOn;
        if (IsSerious) SeriousKnownAt ??= now;
        return null;
    }
}

public sealed record AdverseEventDetails(
    DateOnly OnsetOn,
    AdverseEventCategory Category,
    int CtcaeGrade,
    SeriousCriteria Serious,
    Relatedness Relatedness,
    string Description,
    string? ActionTaken,
    AdverseEventOutcome Outcome,
    DateOnly? ResolvedOn);

public static class AdverseEventRules
{
    public static readonly RuleViolation OnsetInFuture = new(nameof(OnsetInFuture), "The onset date cannot be in the future.");
    public static readonly RuleViolation CtcaeGradeOutOfRange = new(nameof(CtcaeGradeOutOfRange), "The CTCAE grade runs from 1 (mild) to 5 (death).");
    public static readonly RuleViolation EventNotOfCase = new(nameof(EventNotOfCase), "That adverse event does not belong to this case.");
    public static readonly RuleViolation DescriptionRequired = new(nameof(DescriptionRequired), "Describe what happened.");
    public static readonly RuleViolation DeathMustAgree = new(nameof(DeathMustAgree),
        "Grade 5, the serious criterion \"death\" and the outcome \"fatal\" go together: choose all three or none.");
    public static readonly RuleViolation SevereMustBeSerious = new(nameof(SevereMustBeSerious),
        "Grade 4 means life-threatening, so this is a serious adverse event: tick the criteria that apply (at least \"life-threatening\").");
    public static readonly RuleViolation ResolutionDateRequired = new(nameof(ResolutionDateRequired),
        "Give the date the event resolved.");
    public static readonly RuleViolation ResolutionDateOnlyWhenResolved = new(nameof(ResolutionDateOnlyWhenResolved),
        "A resolution date goes with the outcome \"resolved\" or \"resolved with after-effects\".");
    public static readonly RuleViolation ResolutionDateOutOfRange = new(nameof(ResolutionDateOutOfRange),
        "The resolution date must be between the onset and today.");
    public static readonly RuleViolation ErrorReasonRequired = new(nameof(ErrorReasonRequired),
        "Say why this entry is wrong (for example: recorded on the wrong patient, a duplicate of another entry).");
    public static readonly RuleViolation AlreadyEnteredInError = new(nameof(AlreadyEnteredInError),
        "This entry has been marked as entered in error and can no longer be changed.");
}
