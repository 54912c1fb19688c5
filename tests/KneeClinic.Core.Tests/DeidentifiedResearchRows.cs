using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Research;

namespace KneeClinic.Core.Tests;

public sealed class DeidentifiedResearchRows
{
    private static readonly DateOnly Injected = new(2026, 3, 10);
    private static readonly KoosScores Fifty = new(50, 50, 50, 50, 50);
    private static readonly KoosScores Better = new(75, 70, 65, 40, 60);

    private static ResearchCase Case(DateOnly bornOn, params ResearchEvent[] events) => new("S-7K3M9Q", bornOn, Sex.Female, CellSource.BoneMarrow,
        KneeSide.Right, 3, Injected, Injected.AddDays(-20), 7, Fifty,
        [
            new("6 weeks", VisitStatus.Completed, Injected.AddDays(42), Injected.AddDays(44), 5, Better),
            new("2 weeks", VisitStatus.Completed, Injected.AddDays(14), Injected.AddDays(15), 6, null),
            new("3 months", VisitStatus.Missed, Injected.AddDays(91), null, null, null),
        ], events);

    [Theory]
    [InlineData("1960-03-10", 66)]  // birthday on the day of the injection
    [InlineData("1960-03-11", 65)]  // one day short
    [InlineData("1936-03-11", 89)]
    [InlineData("1936-03-10", 90)]
    [InlineData("1960-02-29", 66)]  // a leap-day birthday counts from 1 March in other years
    public void AgeIsInFullYearsAtTheInjection(string born, int age) => Assert.Equal(age, DeidentifiedRows.Age(DateOnly.Parse(born), Injected));

    [Theory]
    [InlineData(89, "89")]
    [InlineData(90, "90+")]
    [InlineData(104, "90+")]
    public void AgesOverEightyNineAreOneGroup(int age, string band) => Assert.Equal(band, DeidentifiedRows.AgeBand(age));

    [Fact]
    public void EachVisitIsARowDatedOnlyInDaysFromTheInjection()
    {
        var rows = DeidentifiedRows.For(Case(new DateOnly(1931, 1, 5))).ToList();
        Assert.Equal([DeidentifiedRows.Screening, "2 weeks", "6 weeks", "3 months"], rows.Select(r => r.Visit));
        Assert.Equal([-20, 15, 44, 91], rows.Select(r => r.DayFromInjection));   // the missed visit sits at its due day
        Assert.All(rows, r => Assert.Equal(("S-7K3M9Q", 2026, "90+"), (r.StudyId, r.InjectionYear, r.AgeAtInjection)));
        Assert.Equal((7, 50m), (rows[0].PainNrs, rows[0].KoosPain));
        Assert.Equal((5, 75m, 60m), (rows[2].PainNrs, rows[2].KoosPain, rows[2].KoosQualityOfLife));
        Assert.Equal(("Missed", null), (rows[3].VisitStatus, rows[3].PainNrs));

        // Nothing in a row is a date: every field prints as something other than a calendar day.
        foreach (var row in rows)
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}", row.ToString());
    }

    [Fact]
    public void AdverseEventsAreCountedUpToEachRow()
    {
        var rows = DeidentifiedRows.For(Case(new DateOnly(1960, 1, 1),
            new ResearchEvent(Injected.AddDays(3), AdverseEventCategory.FlareUp, 1, false),
            new ResearchEvent(Injected.AddDays(30), AdverseEventCategory.Infection, 3, true))).ToList();
        Assert.Equal([0, 1, 2, 2], rows.Select(r => r.AdverseEventsSoFar));
        Assert.Equal([0, 0, 1, 1], rows.Select(r => r.SeriousAdverseEventsSoFar));
        Assert.Equal([null, 1, 3, 3], rows.Select(r => r.HighestCtcaeGradeSoFar));
        Assert.Equal("66", rows[0].AgeAtInjection);
    }
}
