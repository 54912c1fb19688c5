using KneeClinic.Core.Cases;

namespace KneeClinic.Core.FollowUp;

/// <summary>One injected case as the outcome report sees it: its cell source, its baselines and its follow-up visits.</summary>
public sealed record CaseOutcome(CellSource Source, decimal? BaselinePain, decimal? BaselineKoosPain, IReadOnlyList<VisitOutcome> Visits);

/// <summary>One follow-up visit of a case: where it stands and what was measured at it.</summary>
public sealed record VisitOutcome(string Label, VisitStatus Status, DateOnly WindowCloses, decimal? Pain, decimal? KoosPain);

/// <summary>One adverse event as the report counts it (events entered in error are left out before they get here).</summary>
public sealed record AdverseEventFact(CellSource Source, AdverseEventCategory Category, int CtcaeGrade, bool Serious);

/// <summary>A count out of a total, with its share and 95% Wilson score interval (none when the total is 0).</summary>
public sealed record Proportion(int Count, int Of)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public double? Share => Of == 0 ? null : (double)Count / Of;

    /// <summary>
    /// The Wilson score interval: unlike the plain "share ± 1.96 standard errors" it stays within 0 to 1 and does not
    /// collapse to a single point at 0 of n or n of n, which is where small clinics' figures often are.
    /// </summary>
    public (double Low, double High)? Interval95
    {
        get
        {
            if (Of == 0) return null;
            double n = Of, p = (double)Count / Of, z2 = Z95 * Z95;
            var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
            var half = Z95 / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
            // At 0 of n and n of n the bound is exactly 0 or 1; rounding must not push it a hair past.
            return (Count == 0 ? 0 : Math.Max(0, centre - half), Count == Of ? 1 : Math.Min(1, centre + half));
        }
    }
}

/// <summary>How many cases reached a follow-up visit, how many missed it, and how many are not due yet.</summary>
/// <param name="Completed">The visit was recorded.</param>
/// <param name="Missing">Marked missed, or still open after its window closed.</param>
/// <param name="NotYetDue">Its window has not closed: the case is too recent to count either way.</param>
public sealed record VisitReach(string Label, int Completed, int Missing, int NotYetDue)
{
    /// <summary>Cases whose visit is due: the ones that count.</summary>
    public int Due => Completed + Missing;
}

/// <summary>
/// The share of patients who improved by at least the minimal important change at one visit.
/// </summary>
/// <param name="Responders">Improved by at least the minimal important change.</param>
/// <param name="Assessed">Measured at the visit with a baseline to compare against.</param>
/// <param name="Due">Cases whose visit is due (recorded or missing).</param>
public sealed record ResponderRate(string Measure, string Visit, decimal MinimalImportantChange, int Responders, int Assessed, int Due)
{
    /// <summary>Due but not assessed: the visit was missed, the measure was not recorded, or there was no baseline.</summary>
    public int NotAssessed => Due - Assessed;

    /// <summary>Among those assessed: what the clinic saw.</summary>
    public Proportion Observed => new(Responders, Assessed);

    /// <summary>As if every case not assessed had not improved: the least the figures allow.</summary>
    public Proportion MissingAsNonResponders => new(Responders, Due);
}

/// <summary>Adverse events counted by category, CTCAE grade and seriousness.</summary>
public sealed record AdverseEventCounts(int Total, int Serious, IReadOnlyDictionary<AdverseEventCategory, int> ByCategory, IReadOnlyDictionary<int, int> ByGrade);

/// <summary>The report for one group of cases: every cell source together, or one.</summary>
public sealed record OutcomeGroup(CellSource? Source, int CasesInjected, IReadOnlyList<VisitReach> Visits, IReadOnlyList<ResponderRate> Responders,
    AdverseEventCounts AdverseEvents);

/// <summary>
/// The clinic's outcomes across cases: follow-up reached and missing, responder rates with their uncertainty, adverse
/// events. A missing follow-up is never counted as a success nor silently dropped: it stays in <see cref="ResponderRate.Due"/>.
/// </summary>
public static class OutcomeReport
{
    /// <summary>Responder rates are given at the visits this many days after the injection (6 and 12 months).</summary>
    public static readonly int[] ResponderDays = [182, 365];

    public const string PainMeasure = "Knee pain (NRS 0-10)";
    public const string KoosPainMeasure = "KOOS Pain";

    /// <summary>Overall first, then each cell source in the order of <see cref="CellSource"/>.</summary>
    public static IReadOnlyList<OutcomeGroup> Build(IReadOnlyCollection<CaseOutcome> cases, IReadOnlyCollection<AdverseEventFact> events,
        FollowUpSchedule schedule, DateOnly today)
    {
        var groups = new List<OutcomeGroup> { Group(null, cases, events, schedule, today) };
        foreach (var source in Enum.GetValues<CellSource>())
            groups.Add(Group(source, [.. cases.Where(c => c.Source == source)], [.. events.Where(e => e.Source == source)], schedule, today));
        return groups;
    }

    private static OutcomeGroup Group(CellSource? source, IReadOnlyCollection<CaseOutcome> cases, IReadOnlyCollection<AdverseEventFact> events,
        FollowUpSchedule schedule, DateOnly today)
    {
        var reach = schedule.Visits.Select(v => Reach(v.Label, cases, today)).ToList();
        var responders = new List<ResponderRate>();
        foreach (var visit in schedule.Visits.Where(v => ResponderDays.Contains(v.DaysAfterInjection)))
        {
            responders.Add(Rate(PainMeasure, visit.Label, Outcomes.PainMinimalImportantChange, cases, today,
                c => c.BaselinePain, v => v.Pain, higherIsBetter: false));
            responders.Add(Rate(KoosPainMeasure, visit.Label, KoosAnswers.MinimalImportantChange, cases, today,
                c => c.BaselineKoosPain, v => v.KoosPain, higherIsBetter: true));
        }
        return new OutcomeGroup(source, cases.Count, reach, responders, Count(events));
    }

    /// <summary>Where a visit stands today: recorded, missing, or not yet due (also when the case has no such visit).</summary>
    private static VisitState State(VisitOutcome? visit, DateOnly today) => visit switch
    {
        { Status: VisitStatus.Completed } => VisitState.Completed,
        { Status: VisitStatus.Missed } => VisitState.Missing,
        { Status: VisitStatus.Scheduled } v when today > v.WindowCloses => VisitState.Missing,
        _ => VisitState.NotYetDue,
    };

    private static VisitReach Reach(string label, IEnumerable<CaseOutcome> cases, DateOnly today)
    {
        int completed = 0, missing = 0, notYetDue = 0;
        foreach (var c in cases)
        {
            switch (State(Find(c, label), today))
            {
                case VisitState.Completed: completed++; break;
                case VisitState.Missing: missing++; break;
                default: notYetDue++; break;
            }
        }
        return new VisitReach(label, completed, missing, notYetDue);
    }

    private static ResponderRate Rate(string measure, string label, decimal mic, IEnumerable<CaseOutcome> cases, DateOnly today,
        Func<CaseOutcome, decimal?> baselineOf, Func<VisitOutcome, decimal?> valueOf, bool higherIsBetter)
    {
        int responders = 0, assessed = 0, due = 0;
        foreach (var c in cases)
        {
            var visit = Find(c, label);
            var state = State(visit, today);
            if (state == VisitState.NotYetDue) continue;
            due++;
            if (state != VisitState.Completed || baselineOf(c) is not { } baseline || valueOf(visit!) is not { } value) continue;
            assessed++;
            var improvement = higherIsBetter ? value - baseline : baseline - value;
            if (improvement >= mic) responders++;
        }
        return new ResponderRate(measure, label, mic, responders, assessed, due);
    }

    private static AdverseEventCounts Count(IReadOnlyCollection<AdverseEventFact> events) => new(
        events.Count,
        events.Count(e => e.Serious),
        Enum.GetValues<AdverseEventCategory>().ToDictionary(c => c, c => events.Count(e => e.Category == c)),
        Enumerable.Range(1, 5).ToDictionary(g => g, g => events.Count(e => e.CtcaeGrade == g)));

    private static VisitOutcome? Find(CaseOutcome c, string label) => c.Visits.FirstOrDefault(v => v.Label == label);

    private enum VisitState
    {
        Completed,
        Missing,
        NotYetDue,
    }
}
