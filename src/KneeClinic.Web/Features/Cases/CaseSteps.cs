using KneeClinic.Core.Cases;
using KneeClinic.Core.Procedures;

namespace KneeClinic.Web.Features.Cases;

/// <summary>
/// The pages a case is worked on, one step of the pathway each; the case page is their overview. A form's errors
/// come back on its own step page, next to its fields.
/// </summary>
public enum CaseStep
{
    Screening,
    Consent,
    Product,
    TimeOut,
    Injection,
    FollowUp,
    AdverseEvents,
    Close,
}

public static class CaseSteps
{
    /// <summary>The steps the case page links to, in pathway order (the time-out is reached from the injection).</summary>
    public static readonly IReadOnlyList<CaseStep> Shown =
        [CaseStep.Screening, CaseStep.Consent, CaseStep.Product, CaseStep.Injection, CaseStep.FollowUp, CaseStep.AdverseEvents, CaseStep.Close];

    /// <summary>The <see cref="CasesController"/> action that shows the step: its name.</summary>
    public static string Action(this CaseStep step) => step.ToString();

    public static string Title(this CaseStep step, CellSource source) => step switch
    {
        CaseStep.Screening => "Screening and eligibility",
        CaseStep.Consent => "Informed consent",
        CaseStep.Product => source.IsAutologous() ? "Harvest, processing and release" : "Receipt, preparation and release",
        CaseStep.TimeOut => "Pre-injection time-out",
        CaseStep.Injection => "Injection",
        CaseStep.FollowUp => "Follow-up and outcomes",
        CaseStep.AdverseEvents => "Adverse events",
        CaseStep.Close => "Close the case",
    };

    /// <summary>The page where the case's next step is done; none once nothing is left to do.</summary>
    public static CaseStep? ForNext(Case c, CellProduct? current, DateTimeOffset now) => c.NextStep switch
    {
        PathwayStep.Screening => c.Stage == CaseStage.NotEligible ? CaseStep.Close : CaseStep.Screening,
        PathwayStep.Consent => CaseStep.Consent,
        PathwayStep.Harvest or PathwayStep.Receipt or PathwayStep.Processing => CaseStep.Product,
        PathwayStep.Injection => TimeOutStands(current, now) ? CaseStep.Injection : CaseStep.TimeOut,
        PathwayStep.FollowUp => CaseStep.FollowUp,
        _ => null,
    };

    /// <summary>Whether the current product's time-out still opens the injection record (it lasts an hour).</summary>
    public static bool TimeOutStands(CellProduct? product, DateTimeOffset now) =>
        product?.TimeOutAt is { } at && now - at <= PathwayRules.TimeOutLasts;

    /// <summary>The step page a timeline entry of <see cref="Stages.Timeline"/> opens, by its position.</summary>
    public static CaseStep ForTimeline(int index) => index switch
    {
        0 or 1 => CaseStep.Screening,
        2 => CaseStep.Consent,
        3 or 4 => CaseStep.Product,
        5 => CaseStep.Injection,
        _ => CaseStep.FollowUp,
    };
}
