using KneeClinic.Core.Cases;

namespace KneeClinic.Web.Features;

public enum StepState
{
    Done,
    Current,
    Upcoming,
    Stopped,
}

public sealed record TimelineStep(string Name, StepState State);

/// <summary>How a case's stage reads on screen, and the pathway drawn as a timeline.</summary>
public static class Stages
{
    public static string Label(CaseStage stage) => stage switch
    {
        CaseStage.Screening => "Screening",
        CaseStage.Eligible => "Eligible",
        CaseStage.NotEligible => "Not eligible",
        CaseStage.Consented => "Consented",
        CaseStage.ProductObtained => "Product obtained",
        CaseStage.ProductReleased => "Product released",
        CaseStage.Injected => "Injected",
        CaseStage.FollowUp => "In follow-up",
        CaseStage.Completed => "Completed",
        CaseStage.Closed => "Closed",
    };

    /// <summary>The steps of the pathway with how far this case has come; a donor product has no harvest.</summary>
    public static IReadOnlyList<TimelineStep> Timeline(CaseStage stage, CellSource source)
    {
        string[] names =
        [
            "Screening", "Eligibility", "Consent", source.Profile().ObtainStep,
            "Processing and release", "Injection", "Follow-up",
        ];
        // Index of the step a stage is working on (or has just finished).
        var reached = stage switch
        {
            CaseStage.Screening => 0,
            CaseStage.Eligible => 2,
            CaseStage.NotEligible => 1,
            CaseStage.Consented => 3,
            CaseStage.ProductObtained => 4,
            CaseStage.ProductReleased => 5,
            CaseStage.Injected or CaseStage.FollowUp => 6,
            CaseStage.Completed => names.Length,
            CaseStage.Closed => 0,
        };
        var stopped = stage == CaseStage.Closed || stage == CaseStage.NotEligible;
        return names.Select((name, i) => new TimelineStep(name,
            i < reached ? StepState.Done
            : i == reached ? (stopped ? StepState.Stopped : StepState.Current)
            : StepState.Upcoming)).ToList();
    }
}
