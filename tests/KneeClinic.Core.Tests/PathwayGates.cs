using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;

namespace KneeClinic.Core.Tests;

/// <summary>Every gate between the steps of a case, each with the case it lets through and the one it stops.</summary>
public sealed class PathwayGates
{
    private static readonly DateTimeOffset Now = PathwayCase.Now;

    [Fact]
    public void AnAutologousCaseGoesFromConsentToFollowUp()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-2));
        Assert.Equal(CaseStage.Consented, p.Case.Stage);

        Assert.Null(p.Obtain());
        Assert.Equal(CaseStage.ProductObtained, p.Case.Stage);
        Assert.Matches("^CP-[0-9A-Z]{10}$", p.Product!.ProductCode);

        Assert.Null(p.Process());
        Assert.Equal(CaseStage.ProductReleased, p.Case.Stage);

        Assert.Null(p.Inject());
        Assert.Equal(CaseStage.Injected, p.Case.Stage);
        Assert.Equal(["2 weeks", "6 weeks", "3 months", "6 months", "12 months"], p.Visits.Select(v => v.Label));
        Assert.Equal(CaseBuilder.Today.AddDays(14), p.Visits[0].DueOn);
    }

    [Fact]
    public void TheProductCodeSaysNothingAboutThePatient()
    {
        var p = new PathwayCase().Released();
        var code = p.Product!.ProductCode;
        Assert.DoesNotContain(p.Case.PatientId.ToString("N")[..6], code, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(new PathwayCase().Released().Product!.ProductCode, code);
    }

    [Fact]
    public void HarvestNeedsAnEligibleScreening()
    {
        var p = new PathwayCase();
        var notDecided = new CaseBuilder().Build();

        var violation = notDecided.RecordHarvest(PathwayCase.Harvest(), p.Terms, PathwayCase.Clock());

        Assert.Equal(PathwayRules.NotEligibleForProcedure, violation);
        Assert.Empty(notDecided.Products);
        Assert.Equal(CaseStage.Screening, notDecided.Stage);
    }

    [Fact]
    public void HarvestNeedsASignedConsent()
    {
        var p = new PathwayCase();
        Assert.Equal(PathwayRules.NotConsented, p.Obtain());
        Assert.Equal(CaseStage.Eligible, p.Case.Stage);
        Assert.Null(p.Product);
    }

    [Fact]
    public void HarvestNeedsTheConsentStillValidWhenItStarts()
    {
        var expired = new PathwayCase();
        expired.Sign(Now.AddDays(-91));
        Assert.Equal(nameof(ConsentRules.ConsentExpired), expired.Obtain()?.Code);

        var withdrawn = new PathwayCase();
        var document = withdrawn.Sign(Now.AddDays(-3));
        Assert.Null(withdrawn.Withdraw(document, Now.AddDays(-1)));
        Assert.Equal(CaseStage.Eligible, withdrawn.Case.Stage);
        Assert.Equal(PathwayRules.NotConsented, withdrawn.Obtain());
    }

    [Fact]
    public void AConsentSupersededByAReconsentVersionStopsTheHarvest()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-5));
        var v2 = p.Template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, requiresReconsent: true, "new risks", Now.AddDays(-2));
        Assert.Null(p.Template.Publish(v2.Id, Now.AddDays(-1)));

        Assert.Equal(ConsentRules.ConsentSuperseded, p.Obtain());
    }

    [Fact]
    public void HarvestIsOnlyForOwnCellsAndReceiptOnlyForDonorCells()
    {
        var cord = new PathwayCase(CellSource.UmbilicalCord);
        cord.Sign(Now.AddDays(-1));
        Assert.Equal(PathwayRules.HarvestIsForOwnCells, cord.Case.RecordHarvest(PathwayCase.Harvest(), cord.Terms, PathwayCase.Clock()));
        Assert.Null(cord.Obtain());
        Assert.Equal(CellSource.UmbilicalCord, cord.Product!.Source);

        var marrow = new PathwayCase();
        marrow.Sign(Now.AddDays(-1));
        Assert.Equal(PathwayRules.ReceiptIsForDonorCells, marrow.Case.RecordReceipt(PathwayCase.Receipt(), marrow.Terms, PathwayCase.Clock()));
    }

    [Fact]
    public void HarvestTimesAndVolumeMustMakeSense()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        var h = PathwayCase.Harvest();

        Assert.Equal(PathwayRules.EndsBeforeStart, p.Case.RecordHarvest(h with { EndedAt = h.StartedAt.AddMinutes(-1) }, p.Terms, PathwayCase.Clock()));
        Assert.Equal(PathwayRules.InFuture, p.Case.RecordHarvest(h with { EndedAt = Now.AddMinutes(5) }, p.Terms, PathwayCase.Clock()));
        Assert.Equal(PathwayRules.VolumeRequired, p.Case.RecordHarvest(PathwayCase.Harvest(volume: 0), p.Terms, PathwayCase.Clock()));
        Assert.Equal(CaseStage.Consented, p.Case.Stage);
    }

    [Fact]
    public void AnExpiredDonorLotIsRefusedAtReceipt()
    {
        var p = new PathwayCase(CellSource.UmbilicalCord);
        p.Sign(Now.AddDays(-1));
        var violation = p.Case.RecordReceipt(PathwayCase.Receipt(expiry: CaseBuilder.Today.AddDays(-1)), p.Terms, PathwayCase.Clock());
        Assert.Equal(PathwayRules.ProductExpiredOnReceipt, violation);
    }

    [Fact]
    public void NoStepIsRecordedTwice()
    {
        var p = new PathwayCase().Released();
        Assert.Equal(PathwayRules.ProductAlreadyObtained, p.Obtain());
        Assert.Equal(PathwayRules.AlreadyProcessed, p.Process());
        Assert.Null(p.Inject());
        Assert.Equal(PathwayRules.AlreadyInjected, p.Inject());
    }

    [Fact]
    public void ProcessingNeedsAHarvestOrReceipt()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        Assert.Equal(PathwayRules.NoProductToProcess, p.Process());
        Assert.Equal(CaseStage.Consented, p.Case.Stage);
    }

    [Fact]
    public void TheSecondVerifierMustBeSomeoneElse()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        Assert.Null(p.Obtain());
        Assert.Equal(PathwayRules.SecondVerifierMustDiffer, p.Process(p.Processing(verifier: PathwayCase.Operator)));
        Assert.Null(p.Product!.Processing);
    }

    [Fact]
    public void AnExpiredKitOrAMissingUseByTimeBlocksTheRelease()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        Assert.Null(p.Obtain());

        Assert.Equal(PathwayRules.KitExpired, p.Process(p.Processing(kitExpiry: CaseBuilder.Today.AddDays(-1))));
        Assert.Equal(PathwayRules.UseByRequired, p.Process(p.Processing(useBy: Now.AddHours(-4))));
        Assert.Equal(PathwayRules.ProcessedBeforeObtained, p.Process(p.Processing(start: Now.AddHours(-6))));
        Assert.Equal(CaseStage.ProductObtained, p.Case.Stage);
    }

    [Fact]
    public void ADonorProductCannotBeUsedAfterItsLotExpires()
    {
        var p = new PathwayCase(CellSource.UmbilicalCord);
        p.Sign(Now.AddDays(-1));
        var received = PathwayCase.Receipt(expiry: CaseBuilder.Today);
        Assert.Null(p.Case.RecordReceipt(received, p.Terms, PathwayCase.Clock()));

        var record = p.Processing(useBy: PathwayCase.Clock().EndOf(received.Expiry).AddHours(1));
        Assert.Equal(PathwayRules.UseByAfterLotExpiry, p.Process(record));
    }

    [Fact]
    public void TheReleaseComesAfterProcessingAndTheUseByTimeAfterTheRelease()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        Assert.Null(p.Obtain());
        var start = Now.AddHours(-4);
        Assert.Equal(PathwayRules.DecidedBeforeProcessingEnded, p.Process(p.Processing(start: start) with { DecidedAt = start.AddMinutes(30) }));
        // A use-by time no later than the release leaves no time to inject.
        Assert.Equal(PathwayRules.UseByRequired, p.Process(p.Processing(start: start, useBy: start.AddMinutes(55))));
        Assert.Null(p.Product!.Processing);
    }

    [Fact]
    public void ExpiryDatesRunToTheEndOfTheDayAtTheClinic()
    {
        // Processing starts at 05:00 UTC on the 25th: still the 24th in Los Angeles, where a kit expiring on the 24th is in date.
        var la = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var start = new DateTimeOffset(2026, 11, 25, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(Now.AddHours(-4), start);
        var kit = new DateOnly(2026, 11, 24);

        var inUtc = new PathwayCase();
        inUtc.Sign(Now.AddDays(-1));
        Assert.Null(inUtc.Obtain());
        Assert.Equal(PathwayRules.KitExpired, inUtc.Process(inUtc.Processing(kitExpiry: kit, start: start)));

        var inLosAngeles = new PathwayCase();
        inLosAngeles.Sign(Now.AddDays(-1));
        Assert.Null(inLosAngeles.Obtain());
        Assert.Null(inLosAngeles.Process(inLosAngeles.Processing(kitExpiry: kit, start: start), la));

        // A donor lot is usable until midnight at the clinic at the end of its expiry date: 08:00 UTC the next day in Los Angeles.
        var lot = PathwayCase.Receipt(expiry: new DateOnly(2026, 1, 15));
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 8, 0, 0, TimeSpan.Zero), PathwayCase.Clock(zone: la).EndOf(lot.Expiry).AddTicks(1));
    }

    [Fact]
    public void AReleasedProductThatWillNotBeUsedIsDiscardedAndTheCaseWaitsForANewOne()
    {
        var p = new PathwayCase().Released();
        var old = p.Product!;
        Assert.Equal(PathwayRules.DiscardReasonRequired, p.Case.DiscardProduct(" ", CaseBuilder.Clinician, Now));
        Assert.Null(p.Case.DiscardProduct("Use-by time passed: patient delayed", CaseBuilder.Clinician, Now));

        Assert.False(old.IsReleased);
        Assert.Equal(CaseStage.Consented, p.Case.Stage);
        Assert.Equal(PathwayRules.NotReleased, p.Inject(p.Injection(old.ProductCode)));
        Assert.Equal(PathwayRules.OnlyReleasedCanBeDiscarded, p.Case.DiscardProduct("again", CaseBuilder.Clinician, Now));
        Assert.Null(p.Obtain());

        var injected = new PathwayCase().Released();
        Assert.Null(injected.Inject());
        Assert.Equal(PathwayRules.OnlyReleasedCanBeDiscarded, injected.Case.DiscardProduct("late", CaseBuilder.Clinician, Now));
    }

    [Fact]
    public void ARejectedProductIsKeptAndTheCaseWaitsForANewOne()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        Assert.Null(p.Obtain(Now.AddHours(-8)));
        var rejected = p.Product!;

        Assert.Equal(PathwayRules.RejectionReasonRequired, p.Process(p.Processing(ReleaseDecision.Rejected, start: Now.AddHours(-7))));
        Assert.Null(p.Process(p.Processing(ReleaseDecision.Rejected, start: Now.AddHours(-7)) with { ReleaseNote = "Too few cells" }));

        Assert.True(rejected.IsRejected);
        Assert.Equal(CaseStage.Consented, p.Case.Stage);
        Assert.Equal(PathwayRules.NotReleased, p.Inject(p.Injection(rejected.ProductCode)));
        Assert.Null(p.Obtain());
        Assert.NotEqual(rejected.ProductCode, p.Product!.ProductCode);
    }

    [Fact]
    public void ProcessingStopsOnceConsentIsWithdrawn()
    {
        var p = new PathwayCase();
        var document = p.Sign(Now.AddDays(-1));
        Assert.Null(p.Obtain());
        Assert.Null(p.Withdraw(document, Now.AddHours(-1)));

        Assert.Equal(ConsentRules.ConsentWithdrawn, p.Process());
        Assert.Equal(CaseStage.ProductObtained, p.Case.Stage);
    }

    [Fact]
    public void InjectionNeedsTheReleasedProductMadeForThisCase()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        Assert.Null(p.Obtain());
        Assert.Equal(PathwayRules.NotReleased, p.Inject());

        var other = new PathwayCase().Released();
        Assert.Null(p.Process());
        // The product made for another case is refused by its code: a case only ever injects its own current product.
        Assert.Equal(PathwayRules.ProductCodeMismatch, p.Inject(other.Injection()));
        Assert.Equal(PathwayRules.ProductCodeMismatch, p.Inject(p.Injection(code: other.Product!.ProductCode)));
        Assert.Null(p.Inject(p.Injection(code: " " + p.Product!.ProductCode.Value.ToLowerInvariant() + " ")));
    }

    [Fact]
    public void InjectionChecksTheKneeUltrasoundAndDischarge()
    {
        var p = new PathwayCase().Released();
        Assert.Equal(PathwayRules.KneeMismatch, p.Inject(p.Injection(knee: KneeSide.Right)));
        Assert.Equal(PathwayRules.UltrasoundRequired, p.Inject(p.Injection(ultrasound: false)));
        Assert.Equal(PathwayRules.DischargeInstructionsRequired, p.Inject(p.Injection(discharge: false)));
        Assert.Equal(PathwayRules.VolumeExceedsProduct, p.Inject(p.Injection(volume: 9m)));
        Assert.Equal(PathwayRules.VolumeRequired, p.Inject(p.Injection(volume: 0m)));
        Assert.Equal(CaseStage.ProductReleased, p.Case.Stage);
        Assert.Empty(p.Visits);
    }

    [Fact]
    public void TheInjectionRecordOpensOnlyAfterATimeOut()
    {
        var p = new PathwayCase().Released();
        var entry = p.Injection();
        Assert.Equal(PathwayRules.TimeOutRequired, p.Case.RecordInjection(entry, p.Terms, FollowUpSchedule.Default, PathwayCase.Clock()));

        // Two identifiers, or nothing is recorded.
        Assert.Equal(PathwayRules.IdentifiersNotConfirmed, p.TimeOut(nameAndBirthDate: false));
        Assert.Equal(PathwayRules.IdentifiersNotConfirmed, p.TimeOut(recordNumber: false));
        Assert.Null(p.Product!.TimeOutAt);

        // Another patient's product, or the other knee, is stopped at the time-out, before any injection form.
        var other = new PathwayCase().Released();
        Assert.Equal(PathwayRules.ProductCodeMismatch, p.TimeOut(code: other.Product!.ProductCode));
        Assert.Equal(PathwayRules.KneeMismatch, p.TimeOut(knee: p.Case.Knee == KneeSide.Left ? KneeSide.Right : KneeSide.Left));
        Assert.Null(p.Product.TimeOutAt);

        var at = entry.PerformedAt.AddMinutes(-5);
        Assert.Null(p.TimeOut(at: at));
        Assert.Equal(at, p.Product.TimeOutAt);
        Assert.Equal(CaseBuilder.Clinician, p.Product.TimeOutById);
        Assert.Null(p.Case.RecordInjection(entry, p.Terms, FollowUpSchedule.Default, PathwayCase.Clock()));
    }

    [Fact]
    public void ATimeOutStandsForTheInjectionThatFollowsIt()
    {
        var p = new PathwayCase().Released();
        var entry = p.Injection();
        var schedule = FollowUpSchedule.Default;

        Assert.Null(p.TimeOut(at: entry.PerformedAt.AddMinutes(-61)));
        Assert.Equal(PathwayRules.TimeOutStale, p.Case.RecordInjection(entry, p.Terms, schedule, PathwayCase.Clock()));

        // Times are typed to the minute: a time-out 40 seconds into the minute typed stands for it, the minute before does not.
        Assert.Null(p.TimeOut(at: entry.PerformedAt.AddSeconds(40)));
        Assert.Equal(PathwayRules.TimeOutAfterInjection, p.Case.RecordInjection(entry with { PerformedAt = entry.PerformedAt.AddMinutes(-1) },
            p.Terms, schedule, PathwayCase.Clock()));
        Assert.Null(p.Case.RecordInjection(entry, p.Terms, schedule, PathwayCase.Clock()));
        Assert.Equal(CaseStage.Injected, p.Case.Stage);
    }

    [Fact]
    public void InjectionTimeMustFallBetweenReleaseAndUseBy()
    {
        var p = new PathwayCase().Released();
        Assert.Equal(PathwayRules.InjectedBeforeRelease, p.Inject(p.Injection(at: Now.AddHours(-3.5))));
        Assert.Equal(PathwayRules.ProductExpired, p.Inject(p.Injection(at: Now.AddHours(5)), now: Now.AddHours(6)));
        Assert.Equal(PathwayRules.InFuture, p.Inject(p.Injection(at: Now.AddHours(1))));
    }

    [Fact]
    public void InjectionNeedsAConsentStillValidAtThatMoment()
    {
        var expiring = new PathwayCase();
        expiring.Sign(Now.AddDays(-89));
        Assert.Null(expiring.Obtain());
        Assert.Null(expiring.Process(expiring.Processing(useBy: Now.AddDays(3))));
        Assert.Equal(nameof(ConsentRules.ConsentExpired), expiring.Inject(expiring.Injection(at: Now.AddDays(2)), now: Now.AddDays(2))?.Code);

        var withdrawn = new PathwayCase().Released();
        Assert.Null(withdrawn.Withdraw(withdrawn.Documents[0], Now.AddHours(-3)));
        Assert.Equal(ConsentRules.ConsentWithdrawn, withdrawn.Inject());
    }

    [Fact]
    public void AClosedCaseStopsEveryLaterStep()
    {
        var p = new PathwayCase().Released();
        Assert.Null(p.Case.Close("Patient moved away", Now));

        Assert.Equal(CaseRules.CaseClosed, p.Inject());
        Assert.Equal(CaseRules.CaseClosed, p.Process());
        Assert.Equal(CaseRules.CaseClosed, p.Obtain());
    }

    [Fact]
    public void TheScheduleFollowsTheInjectionDayInTheClinicsTimeZone()
    {
        var p = new PathwayCase().Released();
        var lateEvening = new DateTimeOffset(2026, 11, 25, 6, 30, 0, TimeSpan.Zero); // 22:30 on the 24th in Los Angeles
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        Assert.Null(p.Inject(p.Injection(at: lateEvening), zone: losAngeles));

        Assert.Equal(new DateOnly(2026, 12, 8), p.Visits[0].DueOn);
        Assert.Equal(new DateOnly(2026, 12, 5), p.Visits[0].WindowOpens);
    }
}
