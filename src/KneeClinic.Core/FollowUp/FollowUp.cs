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

    public FollowUpVisit(Guid caseId, string label, DateOnly dueOn, DateOnly windowOpens, DateOnly windowCloses)
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
    public int? PainNrs { get; private set; }
    public KoosScores? Koos { get; private set; }
    public RehabilitationStage? RehabilitationStage { get; private set; }
    public string? Notes { get; private set; }
}

/// <summary>The five KOOS subscales, each 0-100 where 100 means no problems; null where too few items were answered.</summary>
public sealed record KoosScores(decimal? Pain, decimal? Symptoms, decimal? DailyLiving, decimal? SportRecreation, decimal? QualityOfLife);

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
    OtherImportantEvent = 16,
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

    public AdverseEvent(Guid caseId, DateOnly onsetOn, AdverseEventCategory category, int ctcaeGrade,
        SeriousCriteria serious, Relatedness relatedness, string description, string reportedById, DateTimeOffset reportedAt)
    {
        CaseId = caseId;
        OnsetOn = onsetOn;
        Category = category;
        CtcaeGrade = ctcaeGrade;
        Serious = serious;
        Relatedness = relatedness;
        Description = description;
        ReportedById = reportedById;
        ReportedAt = reportedAt;
        Outcome = AdverseEventOutcome.Ongoing;
    }

    public Guid CaseId { get; private set; }
    public DateOnly OnsetOn { get; private set; }
    public AdverseEventCategory Category { get; private set; }
    public int CtcaeGrade { get; private set; }
    public SeriousCriteria Serious { get; private set; }
    public bool IsSerious => Serious != SeriousCriteria.None;
    public Relatedness Relatedness { get; private set; }
    public string Description { get; private set; } = "";
    public string? ActionTaken { get; private set; }
    public AdverseEventOutcome Outcome { get; private set; }
    public DateOnly? ResolvedOn { get; private set; }
    public string ReportedById { get; private set; } = "";
    public DateTimeOffset ReportedAt { get; private set; }
}
