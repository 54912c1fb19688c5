using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;

namespace KneeClinic.Core.Tests;

public sealed class FollowUpAndAdverseEvents
{
    private static readonly DateTimeOffset Now = PathwayCase.Now;
    private static readonly DateOnly Today = CaseBuilder.Today;

    private static PathwayCase Injected()
    {
        var p = new PathwayCase().Released();
        Assert.Null(p.Inject());
        return p;
    }

    private static RuleViolation? Visit(PathwayCase p, int index, DateOnly on, int pain = 4, KoosAnswers? koos = null, DateOnly? today = null) =>
        Pathway.RecordVisit(p.Case, p.Visits, p.Visits[index].Id, p.Consents, new DateTimeOffset(on.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
            TimeZoneInfo.Utc, CaseBuilder.Clinician, pain, koos, RehabilitationStage.EarlyRehabilitation, "walking better", today ?? on);

    [Fact]
    public void AVisitInItsWindowIsRecordedWithItsScores()
    {
        var p = Injected();
        var koos = KoosAnswers.Parse(new string('1', 42));

        Assert.Null(Visit(p, 0, Today.AddDays(13), pain: 3, koos));

        var visit = p.Visits[0];
        Assert.Equal(VisitStatus.Completed, visit.Status);
        Assert.Equal(3, visit.PainNrs);
        Assert.Equal(75m, visit.Koos!.Pain);
        Assert.Equal(CaseStage.FollowUp, p.Case.Stage);
    }

    [Fact]
    public void AVisitBeforeItsWindowInTheFutureOrTwiceIsRefused()
    {
        var p = Injected();

        Assert.Equal(nameof(FollowUpRules.VisitTooEarly), Visit(p, 0, Today.AddDays(5))?.Code);
        Assert.Equal(FollowUpRules.VisitInFuture, Visit(p, 0, Today.AddDays(14), today: Today.AddDays(12)));
        Assert.Equal(FollowUpRules.PainOutOfRange, Visit(p, 0, Today.AddDays(14), pain: 11));
        Assert.Null(Visit(p, 0, Today.AddDays(14)));
        Assert.Equal(FollowUpRules.VisitAlreadyRecorded, Visit(p, 0, Today.AddDays(15)));
    }

    [Fact]
    public void AVisitIsMarkedMissedOnlyAfterItsWindowCloses()
    {
        var p = Injected();
        var first = p.Visits[0];

        Assert.False(first.IsOverdue(first.WindowCloses));
        Assert.True(first.IsOverdue(first.WindowCloses.AddDays(1)));
        Assert.Equal(nameof(FollowUpRules.WindowStillOpen), Pathway.MarkVisitMissed(p.Case, p.Visits, first.Id, first.WindowCloses)?.Code);
        Assert.Null(Pathway.MarkVisitMissed(p.Case, p.Visits, first.Id, first.WindowCloses.AddDays(1)));
        Assert.Equal(VisitStatus.Missed, first.Status);
    }

    [Fact]
    public void TheCaseIsCompleteWhenEveryVisitIsRecordedOrMissed()
    {
        var p = Injected();
        for (var i = 0; i < p.Visits.Count - 1; i++)
            Assert.Null(Pathway.MarkVisitMissed(p.Case, p.Visits, p.Visits[i].Id, p.Visits[i].WindowCloses.AddDays(1)));
        Assert.Equal(CaseStage.FollowUp, p.Case.Stage);

        Assert.Null(Visit(p, p.Visits.Count - 1, p.Visits[^1].DueOn));
        Assert.Equal(CaseStage.Completed, p.Case.Stage);
    }

    [Fact]
    public void VisitsNeedAnInjectedOpenCaseAndAConsentNotWithdrawn()
    {
        var released = new PathwayCase().Released();
        Assert.Equal(FollowUpRules.NotInjected, Pathway.MarkVisitMissed(released.Case, [], Guid.NewGuid(), Today));

        var withdrawn = Injected();
        Assert.Null(withdrawn.Documents[0].Withdraw(Now.AddHours(-1), "no more visits", CaseBuilder.Clinician, Now));
        Assert.Equal(ConsentRules.ConsentWithdrawn, Visit(withdrawn, 0, Today.AddDays(14)));

        var closed = Injected();
        Assert.Null(closed.Case.Close("Moved abroad", Now));
        Assert.Equal(CaseRules.CaseClosed, Visit(closed, 0, Today.AddDays(14)));
    }

    [Fact]
    public void BaselineKoosIsRecordedAtScreeningWithoutReopeningTheDecision()
    {
        var @case = new CaseBuilder().BuildEligible();
        Assert.Null(@case.RecordBaselineKoos(KoosAnswers.Parse(new string('2', 42))));
        Assert.Equal(50m, @case.Screening.BaselineKoos!.QualityOfLife);
        Assert.Equal(CaseStage.Eligible, @case.Stage);
    }

    [Fact]
    public void BaselineKoosCanStillBeTakenAfterConsentButNotOnceInjected()
    {
        var released = new PathwayCase().Released();
        Assert.Null(released.Case.RecordBaselineKoos(KoosAnswers.Parse(new string('3', 42))));
        Assert.Equal(25m, released.Case.Screening.BaselineKoos!.Pain);

        var injected = Injected();
        Assert.Equal(CaseRules.BaselineAfterInjection, injected.Case.RecordBaselineKoos(KoosAnswers.Parse(new string('1', 42))));
        Assert.Null(injected.Case.Screening.BaselineKoos);

        var closed = new CaseBuilder().BuildEligible();
        Assert.Null(closed.Close("Moved away", Now));
        Assert.Equal(CaseRules.CaseClosed, closed.RecordBaselineKoos(KoosAnswers.Parse(new string('1', 42))));
    }

    private static AdverseEventDetails Details(int grade = 2, SeriousCriteria serious = SeriousCriteria.None,
        AdverseEventOutcome outcome = AdverseEventOutcome.Ongoing, DateOnly? resolved = null, DateOnly? onset = null) =>
        new(onset ?? Today.AddDays(-2), AdverseEventCategory.PainSwelling, grade, serious, Relatedness.Probable,
            "Swollen, warm knee two days after the injection", "Ice, rest, paracetamol", outcome, resolved);

    [Fact]
    public void AnAdverseEventIsReportedAtAnyStageEvenOnAClosedCase()
    {
        var closed = new CaseBuilder().Build();
        Assert.Null(closed.Close("Not a candidate", Now));

        var (adverseEvent, violation) = AdverseEvent.Report(closed.Id, Details(), CaseBuilder.Clinician, Now, Today);

        Assert.Null(violation);
        Assert.True(adverseEvent!.IsOpen);
        Assert.False(adverseEvent.IsSerious);
    }

    [Fact]
    public void AdverseEventDetailsMustAgree()
    {
        Assert.Equal(AdverseEventRules.OnsetInFuture, AdverseEvent.Report(Guid.NewGuid(), Details(onset: Today.AddDays(1)), "c", Now, Today).Violation);
        Assert.Equal(AdverseEventRules.GradeOutOfRange, AdverseEvent.Report(Guid.NewGuid(), Details(grade: 6), "c", Now, Today).Violation);
        Assert.Equal(AdverseEventRules.DeathMustAgree, AdverseEvent.Report(Guid.NewGuid(), Details(grade: 5), "c", Now, Today).Violation);
        Assert.Equal(AdverseEventRules.DeathMustAgree, AdverseEvent.Report(Guid.NewGuid(), Details(serious: SeriousCriteria.Death), "c", Now, Today).Violation);
        Assert.Equal(AdverseEventRules.ResolutionDateRequired, AdverseEvent.Report(Guid.NewGuid(), Details(outcome: AdverseEventOutcome.Resolved), "c", Now, Today).Violation);
        Assert.Equal(AdverseEventRules.ResolutionDateOnlyWhenResolved, AdverseEvent.Report(Guid.NewGuid(), Details(resolved: Today), "c", Now, Today).Violation);
        Assert.Equal(AdverseEventRules.ResolutionDateOutOfRange,
            AdverseEvent.Report(Guid.NewGuid(), Details(outcome: AdverseEventOutcome.Resolved, resolved: Today.AddDays(-3)), "c", Now, Today).Violation);
        Assert.Null(AdverseEvent.Report(Guid.NewGuid(), Details(5, SeriousCriteria.Death | SeriousCriteria.Hospitalisation, AdverseEventOutcome.Fatal), "c", Now, Today).Violation);
    }

    [Fact]
    public void AnOpenEventIsClosedByRecordingItsResolution()
    {
        var (adverseEvent, _) = AdverseEvent.Report(Guid.NewGuid(), Details(), CaseBuilder.Clinician, Now, Today);

        Assert.Null(adverseEvent!.Update(Details(outcome: AdverseEventOutcome.Resolved, resolved: Today), Now.AddDays(1), Today));

        Assert.False(adverseEvent.IsOpen);
        Assert.Equal(Now.AddDays(1), adverseEvent.UpdatedAt);
    }
}
