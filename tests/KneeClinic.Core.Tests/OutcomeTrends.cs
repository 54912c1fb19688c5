using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;

namespace KneeClinic.Core.Tests;

public sealed class OutcomeTrends
{
    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static (PathwayCase Case, List<FollowUpVisit> Visits) InjectedWithBaseline(string? baselineKoos)
    {
        var p = new PathwayCase().Released();
        if (baselineKoos is not null) Assert.Null(p.Case.RecordBaselineKoos(KoosAnswers.Parse(baselineKoos)));
        Assert.Null(p.Inject());
        return (p, [.. p.Visits]);
    }

    [Fact]
    public void PainAndKoosTrendsStartAtBaselineAndMeasureTheChangeAgainstTheMinimalImportantChange()
    {
        // Baseline pain 6 (from the check-up), KOOS all 2s: every subscale 50.
        var (p, visits) = InjectedWithBaseline(new string('2', 42));
        var first = visits[0];
        Assert.Null(p.Visit(0, PathwayCase.Now.AddDays(14), 5, KoosAnswers.Parse(new string('1', 42))));

        var pain = Outcomes.Pain(p.Case.Screening, visits, Day);
        Assert.Equal(["Baseline", "2 weeks"], pain.Points.Select(x => x.Label));
        Assert.Equal(6m, pain.Baseline);
        Assert.Equal(4m, pain.Threshold);          // 2 points less pain
        Assert.Equal(-1m, pain.LatestChange);
        Assert.False(pain.ReachedMinimalImportantChange);

        var koos = Outcomes.Koos(KoosSubscale.Pain, "KOOS pain", p.Case.Screening, visits, Day);
        Assert.Equal(65m, koos.Threshold);          // 50 + 15
        Assert.Equal(25m, koos.LatestChange);       // 75 - 50
        Assert.True(koos.ReachedMinimalImportantChange);
    }

    [Fact]
    public void WithoutABaselineThereIsNoThresholdAndNoChange()
    {
        var (p, visits) = InjectedWithBaseline(null);
        Assert.Null(p.Visit(0, PathwayCase.Now.AddDays(14), 3, KoosAnswers.Parse(new string('0', 42))));
        var koos = Outcomes.Koos(KoosSubscale.Symptoms, "KOOS symptoms", p.Case.Screening, visits, Day);
        Assert.Null(koos.Baseline);
        Assert.Null(koos.Threshold);
        Assert.Null(koos.LatestChange);
        Assert.Equal([100m], koos.Points.Select(x => x.Value));
    }

    [Fact]
    public void TheThresholdStaysOnTheScale()
    {
        var (p, _) = InjectedWithBaseline(new string('0', 42)); // 100 at baseline: no room to improve
        Assert.Equal(100m, Outcomes.Koos(KoosSubscale.QualityOfLife, "q", p.Case.Screening, [], Day).Threshold);
    }
}
