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
        p.Case.RecordVisit(p.Visits[index].Id, new VisitEntry(new DateTimeOffset(on.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
                CaseBuilder.Clinician, pain, koos, RehabilitationStage.EarlyRehabilitation, "walking better"),
            p.Terms, PathwayCase.Clock(new DateTimeOffset((today ?? on).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)));

    [Fact]
    public void AVisitInItsWindowIsRecordedWithItsScores()
    {
        var p = Injected();
        var koos = KoosAnswers.Parse(new string('1', 42));

        Assert.Null(Visit(p, 0, Today.AddDays(13), pain: 3, koos));

        var visit = p.Visits[0];
        Assert.Equal(VisitStatus.Completed, visit.Status);
        Assert.Equal(PainScore.Of(3), visit.PainNrs);
        Assert.Equal(75m, visit.Koos!.Pain);
        Assert.Equal(CaseStage.FollowUp, p.Case.Stage);
    }

    [Fact]
    public void AVisitBeforeItsWindowInTheFutureOrTwiceIsRefused()
    {
        var p = Injected();

        Assert.Equal(nameof(FollowUpRules.VisitTooEarly), Visit(p, 0, Today.AddDays(5))?.Code);
        Assert.Equal(FollowUpRules.VisitInFuture, Visit(p, 0, Today.AddDays(14), today: Today.AddDays(12)));
        Assert.Equal(CaseRules.PainOutOfRange, Visit(p, 0, Today.AddDays(14), pain: 11));
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
        Assert.Equal(nameof(FollowUpRules.WindowStillOpen), p.Case.MarkVisitMissed(first.Id, first.WindowCloses, "no answer by phone")?.Code);
        // Why it was missed is part of the record: a follow-up lost is data lost.
        Assert.Equal(FollowUpRules.MissedReasonRequired, p.Case.MarkVisitMissed(first.Id, first.WindowCloses.AddDays(1), "  "));
        Assert.Equal(VisitStatus.Scheduled, first.Status);
        Assert.Null(p.Case.MarkVisitMissed(first.Id, first.WindowCloses.AddDays(1), " no answer by phone, three tries "));
        Assert.Equal((VisitStatus.Missed, "no answer by phone, three tries"), (first.Status, first.MissedReason));
    }

    [Fact]
    public void TheCaseIsCompleteWhenEveryVisitIsRecordedOrMissed()
    {
        var p = Injected();
        for (var i = 0; i < p.Visits.Count - 1; i++)
            Assert.Null(p.Case.MarkVisitMissed(p.Visits[i].Id, p.Visits[i].WindowCloses.AddDays(1), "moved abroad"));
        Assert.Equal(CaseStage.FollowUp, p.Case.Stage);

        Assert.Null(Visit(p, p.Visits.Count - 1, p.Visits[^1].DueOn));
        Assert.Equal(CaseStage.Completed, p.Case.Stage);
    }

    [Fact]
    public void VisitsNeedAnInjectedOpenCaseAndAConsentNotWithdrawn()
    {
        var released = new PathwayCase().Released();
        Assert.Equal(FollowUpRules.NotInjected, released.Case.MarkVisitMissed(Guid.NewGuid(), Today, "moved abroad"));

        var withdrawn = Injected();
        Assert.Null(withdrawn.Withdraw(withdrawn.Documents[0], Now.AddHours(-1)));
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

        Assert.Null(closed.ReportAdverseEvent(Details(), CaseBuilder.Clinician, PathwayCase.Clock()));

        var adverseEvent = Assert.Single(closed.AdverseEvents);
        Assert.True(adverseEvent.IsOpen);
        Assert.False(adverseEvent.IsSerious);
    }

    private static RuleViolation? Report(AdverseEventDetails details)
    {
        var @case = new CaseBuilder().Build();
        var violation = @case.ReportAdverseEvent(details, "c", PathwayCase.Clock());
        Assert.Equal(violation is null ? 1 : 0, @case.AdverseEvents.Count);
        return violation;
    }

    [Fact]
    public void AdverseEventDetailsMustAgree()
    {
        Assert.Equal(AdverseEventRules.OnsetInFuture, Report(Details(onset: Today.AddDays(1))));
        Assert.Equal(AdverseEventRules.CtcaeGradeOutOfRange, Report(Details(grade: 6)));
        Assert.Equal(AdverseEventRules.DeathMustAgree, Report(Details(grade: 5)));
        Assert.Equal(AdverseEventRules.DeathMustAgree, Report(Details(serious: SeriousCriteria.Death)));
        Assert.Equal(AdverseEventRules.ResolutionDateRequired, Report(Details(outcome: AdverseEventOutcome.Resolved)));
        Assert.Equal(AdverseEventRules.ResolutionDateOnlyWhenResolved, Report(Details(resolved: Today)));
        Assert.Equal(AdverseEventRules.ResolutionDateOutOfRange,
            Report(Details(outcome: AdverseEventOutcome.Resolved, resolved: Today.AddDays(-3))));
        Assert.Null(Report(Details(5, SeriousCriteria.Death | SeriousCriteria.Hospitalisation, AdverseEventOutcome.Fatal)));
    }

    [Fact]
    public void ALifeThreateningGradeIsASeriousEvent()
    {
        Assert.Equal(AdverseEventRules.SevereMustBeSerious, Report(Details(grade: 4)));
        Assert.Null(Report(Details(4, SeriousCriteria.LifeThreatening)));
        Assert.Null(Report(Details(4, SeriousCriteria.Hospitalisation | SeriousCriteria.CongenitalAnomaly)));
        // Grades 1 to 3 may be serious or not, as the criteria say.
        Assert.Null(Report(Details(3)));
        Assert.Null(Report(Details(2, SeriousCriteria.OtherImportantEvent)));
    }

    [Fact]
    public void AnOpenEventIsClosedByRecordingItsResolution()
    {
        var @case = new CaseBuilder().Build();
        Assert.Null(@case.ReportAdverseEvent(Details(), CaseBuilder.Clinician, PathwayCase.Clock()));
        var adverseEvent = @case.AdverseEvents[0];

        Assert.Equal(AdverseEventRules.EventNotOfCase, @case.UpdateAdverseEvent(Guid.NewGuid(), Details(), PathwayCase.Clock()));
        Assert.Null(@case.UpdateAdverseEvent(adverseEvent.Id, Details(outcome: AdverseEventOutcome.Resolved, resolved: Today),
            PathwayCase.Clock(Now.AddDays(1))));

        Assert.False(adverseEvent.IsOpen);
        Assert.Equal(Now.AddDays(1), adverseEvent.UpdatedAt);
    }

    [Fact]
    public void ASeriousEventIsDueForReportingFromTheDayItWasKnownToBeSerious()
    {
        var @case = new CaseBuilder().Build();
        Assert.Null(@case.ReportAdverseEvent(Details(), CaseBuilder.Clinician, PathwayCase.Clock()));
        var adverseEvent = @case.AdverseEvents[0];
        DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
        Assert.Null(adverseEvent.ReportDueOn(15, Day));

        // Three days later it turns out the patient was admitted: the 15 days run from then, not from the report.
        Assert.Null(@case.UpdateAdverseEvent(adverseEvent.Id, Details(3, SeriousCriteria.Hospitalisation), PathwayCase.Clock(Now.AddDays(3))));
        Assert.Equal(Day(Now).AddDays(18), adverseEvent.ReportDueOn(15, Day));
        Assert.Null(@case.UpdateAdverseEvent(adverseEvent.Id, Details(4, SeriousCriteria.Hospitalisation | SeriousCriteria.LifeThreatening),
            PathwayCase.Clock(Now.AddDays(5))));
        Assert.Equal(Day(Now).AddDays(18), adverseEvent.ReportDueOn(15, Day));
    }

    [Fact]
    public void AnEventEnteredInErrorStaysOnRecordWithItsReasonAndIsNoLongerOpenOrDue()
    {
        var @case = new CaseBuilder().Build();
        Assert.Null(@case.ReportAdverseEvent(Details(3, SeriousCriteria.Hospitalisation), CaseBuilder.Clinician, PathwayCase.Clock()));
        var adverseEvent = @case.AdverseEvents[0];

        Assert.Equal(AdverseEventRules.ErrorReasonRequired, @case.MarkAdverseEventEnteredInError(adverseEvent.Id, "  ", "admin", PathwayCase.Clock()));
        Assert.Equal(AdverseEventRules.EventNotOfCase, @case.MarkAdverseEventEnteredInError(Guid.NewGuid(), "Wrong patient", "admin", PathwayCase.Clock()));
        Assert.False(adverseEvent.EnteredInError);

        Assert.Null(@case.MarkAdverseEventEnteredInError(adverseEvent.Id, " Recorded on the wrong patient ", "c2", PathwayCase.Clock(Now.AddHours(1))));

        Assert.Single(@case.AdverseEvents);
        Assert.True(adverseEvent.EnteredInError);
        Assert.Equal("Recorded on the wrong patient", adverseEvent.EnteredInErrorReason);
        Assert.Equal("c2", adverseEvent.EnteredInErrorById);
        Assert.Equal(Now.AddHours(1), adverseEvent.EnteredInErrorAt);
        Assert.False(adverseEvent.IsOpen);
        Assert.Null(adverseEvent.ReportDueOn(15, at => DateOnly.FromDateTime(at.UtcDateTime)));
        Assert.Equal(AdverseEventRules.AlreadyEnteredInError, @case.UpdateAdverseEvent(adverseEvent.Id, Details(), PathwayCase.Clock()));
        Assert.Equal(AdverseEventRules.AlreadyEnteredInError,
            @case.MarkAdverseEventEnteredInError(adverseEvent.Id, "Again", "c2", PathwayCase.Clock()));
    }
}
