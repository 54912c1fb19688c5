using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;

namespace KneeClinic.Core.Tests;

/// <summary>The outcome report's figures against examples worked by hand.</summary>
public sealed class OutcomeReportFigures
{
    private static readonly DateOnly Today = new(2027, 6, 1);
    private static readonly DateOnly Closed = Today.AddDays(-1);
    private static readonly DateOnly Open = Today.AddDays(10);

    private static VisitOutcome Done(string label, decimal? pain, decimal? koosPain) => new(label, VisitStatus.Completed, Closed, pain, koosPain);
    private static VisitOutcome Waiting(string label, DateOnly windowCloses) => new(label, VisitStatus.Scheduled, windowCloses, null, null);
    private static VisitOutcome Missed(string label) => new(label, VisitStatus.Missed, Closed, null, null);

    // A: improves at 6 months on both measures, not at 12.  B: misses 6 months, 12 months overdue.
    // C: pain improves by exactly the 2 points at 6 months; no baseline KOOS; 12 months still open.  D: too recent.
    private static readonly CaseOutcome A = new(CellSource.BoneMarrow, 7, 40, [Done("6 months", 4, 60), Done("12 months", 6, 50)]);
    private static readonly CaseOutcome B = new(CellSource.BoneMarrow, 6, 50, [Missed("6 months"), Waiting("12 months", Closed)]);
    private static readonly CaseOutcome C = new(CellSource.Adipose, 8, null, [Done("6 months", 6, 70), Waiting("12 months", Open)]);
    private static readonly CaseOutcome D = new(CellSource.UmbilicalCord, 5, 45, [Waiting("6 months", Open), Waiting("12 months", Open)]);

    private static readonly FollowUpSchedule Schedule = new([new("6 months", 182, 21, 28), new("12 months", 365, 30, 60)]);

    private static readonly AdverseEventFact[] Events =
    [
        new(CellSource.BoneMarrow, AdverseEventCategory.Infection, 2, Serious: false),
        new(CellSource.BoneMarrow, AdverseEventCategory.FlareUp, 3, Serious: true),
        new(CellSource.Adipose, AdverseEventCategory.PainSwelling, 1, Serious: false),
    ];

    private static IReadOnlyList<OutcomeGroup> Report() => OutcomeReport.Build([A, B, C, D], Events, Schedule, Today);

    private static ResponderRate Rate(OutcomeGroup group, string measure, string visit) =>
        group.Responders.Single(r => r.Measure == measure && r.Visit == visit);

    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(2, 2, 0.3424, 1.0)]
    [InlineData(1, 3, 0.0615, 0.7923)]
    public void WilsonIntervalsMatchWorkedExamples(int count, int of, double low, double high)
    {
        var interval = new Proportion(count, of).Interval95!.Value;
        Assert.Equal(low, interval.Low, 0.0001);
        Assert.Equal(high, interval.High, 0.0001);
        Assert.InRange(interval.Low, 0, 1);
        Assert.InRange(interval.High, 0, 1);
    }

    [Fact]
    public void NothingToCountHasNoShareAndNoInterval()
    {
        var none = new Proportion(0, 0);
        Assert.Null(none.Share);
        Assert.Null(none.Interval95);
    }

    [Fact]
    public void EachVisitCountsRecordedMissingAndNotYetDue()
    {
        var overall = Report()[0];
        Assert.Null(overall.Source);
        Assert.Equal(4, overall.CasesInjected);
        var six = overall.Visits.Single(v => v.Label == "6 months");
        Assert.Equal((2, 1, 1), (six.Completed, six.Missing, six.NotYetDue));
        var twelve = overall.Visits.Single(v => v.Label == "12 months");
        // B's 12-month visit is still "scheduled" but its window has closed: it is missing, not pending.
        Assert.Equal((1, 1, 2), (twelve.Completed, twelve.Missing, twelve.NotYetDue));
    }

    [Fact]
    public void MissingFollowUpsStayInTheDenominatorOfTheWorstCase()
    {
        var overall = Report()[0];

        var pain6 = Rate(overall, OutcomeReport.PainMeasure, "6 months");
        Assert.Equal((2, 2, 3), (pain6.Responders, pain6.Assessed, pain6.Due)); // A (-3) and C (-2, exactly the change) improved; B missed
        Assert.Equal(1.0, pain6.Observed.Share);
        Assert.Equal(2.0 / 3, pain6.MissingAsNonResponders.Share!.Value, 1e-9);
        Assert.Equal(1, pain6.NotAssessed);

        var koos6 = Rate(overall, OutcomeReport.KoosPainMeasure, "6 months");
        Assert.Equal((1, 1, 3), (koos6.Responders, koos6.Assessed, koos6.Due)); // C has no baseline KOOS: due, not assessed
        Assert.Equal(1.0 / 3, koos6.MissingAsNonResponders.Share!.Value, 1e-9);

        var pain12 = Rate(overall, OutcomeReport.PainMeasure, "12 months");
        Assert.Equal((0, 1, 2), (pain12.Responders, pain12.Assessed, pain12.Due)); // A improved by 1 only
        Assert.Equal(0.0, pain12.Observed.Share);
        Assert.Equal(0.0, pain12.Observed.Interval95!.Value.Low);

        var koos12 = Rate(overall, OutcomeReport.KoosPainMeasure, "12 months");
        Assert.Equal((0, 1, 2), (koos12.Responders, koos12.Assessed, koos12.Due)); // +10 is under the 15 points
    }

    [Fact]
    public void EachCellSourceHasItsOwnFigures()
    {
        var groups = Report();
        Assert.Equal([null, CellSource.BoneMarrow, CellSource.Adipose, CellSource.UmbilicalCord], groups.Select(g => g.Source));

        var marrow = groups[1];
        Assert.Equal(2, marrow.CasesInjected);
        Assert.Equal((1, 1, 2), Triple(Rate(marrow, OutcomeReport.PainMeasure, "6 months")));

        var adipose = groups[2];
        Assert.Equal((1, 1, 1), Triple(Rate(adipose, OutcomeReport.PainMeasure, "6 months")));

        // The cord case is too recent: nothing is due, so there is no rate at all rather than 0%.
        var cord = groups[3];
        var cordPain = Rate(cord, OutcomeReport.PainMeasure, "6 months");
        Assert.Equal((0, 0, 0), Triple(cordPain));
        Assert.Null(cordPain.Observed.Share);
        Assert.Null(cordPain.MissingAsNonResponders.Interval95);

        static (int, int, int) Triple(ResponderRate r) => (r.Responders, r.Assessed, r.Due);
    }

    [Fact]
    public void AllRespondersAndNoneGiveTheEdgesOfTheScale()
    {
        CaseOutcome Improved(decimal to) => new(CellSource.Adipose, 8, 30, [Done("6 months", to, 80), Done("12 months", to, 80)]);
        var all = OutcomeReport.Build([Improved(2), Improved(3), Improved(1)], [], Schedule, Today)[0];
        var rate = Rate(all, OutcomeReport.PainMeasure, "6 months");
        Assert.Equal(1.0, rate.Observed.Share);
        Assert.Equal(1.0, rate.Observed.Interval95!.Value.High);
        Assert.Equal(rate.Observed, rate.MissingAsNonResponders); // nothing missing: both views agree

        var none = OutcomeReport.Build([Improved(8), Improved(7)], [], Schedule, Today)[0];
        Assert.Equal(0.0, Rate(none, OutcomeReport.PainMeasure, "6 months").Observed.Share);
    }

    [Fact]
    public void AdverseEventsAreCountedByCategoryGradeAndSeriousness()
    {
        var groups = Report();
        var overall = groups[0].AdverseEvents;
        Assert.Equal((3, 1), (overall.Total, overall.Serious));
        Assert.Equal(1, overall.ByCategory[AdverseEventCategory.Infection]);
        Assert.Equal(0, overall.ByCategory[AdverseEventCategory.Tumour]);
        Assert.Equal([1, 1, 1, 0, 0], overall.ByGrade.OrderBy(g => g.Key).Select(g => g.Value));
        Assert.Equal((2, 1), (groups[1].AdverseEvents.Total, groups[1].AdverseEvents.Serious));
        Assert.Equal(0, groups[3].AdverseEvents.Total);
    }

    [Fact]
    public void OnlyTheSixAndTwelveMonthVisitsHaveResponderRates()
    {
        var report = OutcomeReport.Build([A], [], FollowUpSchedule.Default, Today)[0];
        Assert.Equal(5, report.Visits.Count);
        Assert.Equal(["6 months", "12 months"], report.Responders.Select(r => r.Visit).Distinct());
    }
}
