using KneeClinic.Core.Screening;

namespace KneeClinic.Core.FollowUp;

/// <summary>One measurement of an outcome: at screening ("Baseline") or at a follow-up visit.</summary>
public sealed record OutcomePoint(string Label, DateOnly On, decimal Value);

/// <summary>
/// An outcome over time with its baseline and the level that counts as a change the patient notices: baseline
/// minus 2 points of pain (lower is better), or baseline plus 15 points of a KOOS subscale (higher is better).
/// </summary>
public sealed record OutcomeTrend(string Measure, decimal Min, decimal Max, bool HigherIsBetter, decimal MinimalImportantChange,
    decimal? Baseline, IReadOnlyList<OutcomePoint> Points)
{
    /// <summary>The level the patient has to reach for a noticeable improvement; null without a baseline.</summary>
    public decimal? Threshold => Baseline is not { } b ? null
        : HigherIsBetter ? Math.Min(Max, b + MinimalImportantChange) : Math.Max(Min, b - MinimalImportantChange);

    /// <summary>Latest follow-up value minus baseline; null until both exist.</summary>
    public decimal? LatestChange => Baseline is { } b && Points.Count > 1 ? Points[^1].Value - b : null;

    /// <summary>Whether the latest change is an improvement at least as large as the minimal important change.</summary>
    public bool? ReachedMinimalImportantChange => LatestChange is { } change
        ? (HigherIsBetter ? change : -change) >= MinimalImportantChange : null;
}

public static class Outcomes
{
    /// <summary>DOMAIN: about 2 points on the 0-10 pain scale.</summary>
    public const decimal PainMinimalImportantChange = 2;

    public static OutcomeTrend Pain(CaseScreening screening, IEnumerable<FollowUpVisit> visits, Func<DateTimeOffset, DateOnly> clinicDay) =>
        Trend("Knee pain (NRS 0-10)", 0, 10, higherIsBetter: false, PainMinimalImportantChange,
            screening.BaselinePainNrs is { } b && screening.CheckupDate is { } on ? (b.Value, on) : null,
            visits.Where(v => v.Status == VisitStatus.Completed && v.PainNrs is not null)
                .Select(v => (v.Label, clinicDay(v.VisitedAt!.Value), (decimal?)v.PainNrs?.Value)));

    public static OutcomeTrend Koos(KoosSubscale subscale, string measure, CaseScreening screening, IEnumerable<FollowUpVisit> visits,
        Func<DateTimeOffset, DateOnly> clinicDay) =>
        Trend(measure, 0, 100, higherIsBetter: true, KoosAnswers.MinimalImportantChange,
            screening.BaselineKoos?[subscale] is { } b && screening.CheckupDate is { } on ? (b, on) : null,
            visits.Where(v => v.Status == VisitStatus.Completed && v.Koos is not null)
                .Select(v => (v.Label, clinicDay(v.VisitedAt!.Value), v.Koos![subscale])));

    private static OutcomeTrend Trend(string measure, decimal min, decimal max, bool higherIsBetter, decimal mic,
        (decimal Value, DateOnly On)? baseline, IEnumerable<(string Label, DateOnly On, decimal? Value)> measured)
    {
        var points = measured.Where(m => m.Value is not null).OrderBy(m => m.On)
            .Select(m => new OutcomePoint(m.Label, m.On, m.Value!.Value)).ToList();
        if (baseline is { } b) points.Insert(0, new OutcomePoint("Baseline", b.On, b.Value));
        return new OutcomeTrend(measure, min, max, higherIsBetter, mic, baseline?.Value, points);
    }
}
