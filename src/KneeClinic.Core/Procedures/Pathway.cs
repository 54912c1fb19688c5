using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;

namespace KneeClinic.Core.Procedures;

/// <summary>What the clinician enters at the bedside when injecting.</summary>
public sealed record InjectionEntry(
    string ProductCode,
    KneeSide Knee,
    bool UltrasoundGuided,
    decimal VolumeMl,
    string Approach,
    string ClinicianId,
    DateTimeOffset PerformedAt,
    string? ImmediateReaction,
    bool DischargeInstructionsGiven);

/// <summary>
/// The gates between the steps of a case. Each step either happens, changing the case and its product
/// together, or returns the rule it would break and changes nothing. Every screen and every test goes
/// through here, so a form posted directly meets the same rules.
/// </summary>
public static class Pathway
{
    public static (CellProduct? Product, RuleViolation? Violation) RecordHarvest(Case @case, CaseConsents consents,
        HarvestRecord harvest, DateTimeOffset now)
    {
        if (@case.CanObtainProduct() is { } blocked) return (null, blocked);
        if (!@case.CellSource.IsAutologous()) return (null, PathwayRules.HarvestIsForOwnCells);
        if (harvest.EndedAt < harvest.StartedAt) return (null, PathwayRules.EndsBeforeStart);
        if (harvest.EndedAt > now) return (null, PathwayRules.InFuture);
        if (harvest.VolumeMl <= 0) return (null, PathwayRules.VolumeRequired);
        if (consents.ValidAt(harvest.StartedAt) is { } consent) return (null, consent);

        var product = CellProduct.FromHarvest(@case.Id, @case.CellSource, harvest);
        @case.ProductObtained();
        return (product, null);
    }

    public static (CellProduct? Product, RuleViolation? Violation) RecordReceipt(Case @case, CaseConsents consents,
        ProductReceipt receipt, DateTimeOffset now, TimeZoneInfo? clinicZone = null)
    {
        if (@case.CanObtainProduct() is { } blocked) return (null, blocked);
        if (@case.CellSource.IsAutologous()) return (null, PathwayRules.ReceiptIsForDonorCells);
        if (receipt.ReceivedAt > now) return (null, PathwayRules.InFuture);
        if (receipt.ExpiresAt(clinicZone ?? TimeZoneInfo.Utc) < receipt.ReceivedAt) return (null, PathwayRules.ProductExpiredOnReceipt);
        if (consents.ValidAt(receipt.ReceivedAt) is { } consent) return (null, consent);

        var product = CellProduct.FromReceipt(@case.Id, receipt);
        @case.ProductObtained();
        return (product, null);
    }

    /// <summary>Processing (or thaw and preparation) and the release decision, for the case's current product.</summary>
    public static RuleViolation? RecordProcessing(Case @case, CellProduct? product, CaseConsents consents,
        ProcessingRecord record, DateTimeOffset now, TimeZoneInfo? clinicZone = null)
    {
        if (@case.Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (product is null || product.CaseId != @case.Id) return PathwayRules.NoProductToProcess;
        if (product.Processing is not null) return PathwayRules.AlreadyProcessed;
        if (@case.Stage != CaseStage.ProductObtained) return PathwayRules.NoProductToProcess;
        if (consents.WithdrawnBy(now) is { } withdrawn) return withdrawn;
        if (product.RecordProcessing(record, now, clinicZone ?? TimeZoneInfo.Utc) is { } violation) return violation;

        @case.ProductProcessed(product.IsReleased);
        return null;
    }

    /// <summary>
    /// A released product that will not be injected (past its use-by time, damaged, lost) is discarded with the
    /// reason; it stays on record and the case waits for a new harvest or receipt.
    /// </summary>
    public static RuleViolation? DiscardProduct(Case @case, CellProduct? product, string reason, string byId, DateTimeOffset now)
    {
        if (@case.Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (@case.Stage != CaseStage.ProductReleased || product is null || product.CaseId != @case.Id) return PathwayRules.OnlyReleasedCanBeDiscarded;
        if (product.Discard(reason, byId, now) is { } violation) return violation;
        @case.ProductDiscarded();
        return null;
    }

    /// <summary>
    /// The injection, with the bedside checks: the released product made for this case, not past its use-by
    /// time, the right knee, ultrasound guidance, and a consent valid at that moment. Creates the follow-up visits.
    /// </summary>
    public static (Injection? Injection, IReadOnlyList<FollowUpVisit> Visits, RuleViolation? Violation) RecordInjection(
        Case @case, CellProduct? product, CaseConsents consents, InjectionEntry entry, FollowUpSchedule schedule,
        TimeZoneInfo clinicZone, DateTimeOffset now)
    {
        if (InjectionBlocked(@case, product, consents, entry, now) is { } violation) return (null, [], violation);

        var injection = new Injection(@case.Id, product!.Id, entry.ProductCode.Trim().ToUpperInvariant(), entry.Knee,
            entry.VolumeMl, entry.Approach.Trim(), entry.UltrasoundGuided, entry.ClinicianId, entry.PerformedAt,
            string.IsNullOrWhiteSpace(entry.ImmediateReaction) ? null : entry.ImmediateReaction.Trim(), entry.DischargeInstructionsGiven);
        @case.Injected();
        return (injection, schedule.For(@case.Id, ClinicDate(entry.PerformedAt, clinicZone)), null);
    }

    private static RuleViolation? InjectionBlocked(Case @case, CellProduct? product, CaseConsents consents, InjectionEntry entry, DateTimeOffset now)
    {
        if (@case.Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (@case.HasBeenInjected) return PathwayRules.AlreadyInjected;
        if (@case.Stage != CaseStage.ProductReleased || product is not { IsReleased: true } || product.CaseId != @case.Id)
            return PathwayRules.NotReleased;
        if (!string.Equals(entry.ProductCode.Trim(), product.ProductCode, StringComparison.OrdinalIgnoreCase))
            return PathwayRules.ProductCodeMismatch;
        if (entry.Knee != @case.Knee) return PathwayRules.KneeMismatch;
        if (!entry.UltrasoundGuided) return PathwayRules.UltrasoundRequired;
        if (entry.PerformedAt > now) return PathwayRules.InFuture;
        if (entry.PerformedAt < product.Processing!.DecidedAt) return PathwayRules.InjectedBeforeRelease;
        if (entry.PerformedAt > product.Processing.UseBy) return PathwayRules.ProductExpired;
        if (entry.VolumeMl <= 0) return PathwayRules.VolumeRequired;
        if (entry.VolumeMl > product.Processing.OutputVolumeMl) return PathwayRules.VolumeExceedsProduct;
        if (!entry.DischargeInstructionsGiven) return PathwayRules.DischargeInstructionsRequired;
        return consents.ValidAt(entry.PerformedAt);
    }

    /// <summary>Records a follow-up visit; the case is complete once every visit is recorded or marked missed.</summary>
    public static RuleViolation? RecordVisit(Case @case, IReadOnlyList<FollowUpVisit> visits, Guid visitId, CaseConsents consents,
        DateTimeOffset visitedAt, TimeZoneInfo clinicZone, string clinicianId, int painNrs, KoosAnswers? koos,
        RehabilitationStage? stage, string? notes, DateOnly today)
    {
        if ((VisitBlocked(@case, visits, visitId) ?? consents.WithdrawnBy(visitedAt)) is { } blocked) return blocked;
        var visit = visits.First(v => v.Id == visitId);
        var visitedOn = ClinicDate(visitedAt, clinicZone);
        if (visit.Record(visitedAt, visitedOn, clinicianId, painNrs, koos, stage, notes, today) is { } violation) return violation;
        @case.FollowUpProgressed(visits.All(v => v.Status != VisitStatus.Scheduled));
        return null;
    }

    public static RuleViolation? MarkVisitMissed(Case @case, IReadOnlyList<FollowUpVisit> visits, Guid visitId, DateOnly today)
    {
        if (VisitBlocked(@case, visits, visitId) is { } blocked) return blocked;
        if (visits.First(v => v.Id == visitId).MarkMissed(today) is { } violation) return violation;
        @case.FollowUpProgressed(visits.All(v => v.Status != VisitStatus.Scheduled));
        return null;
    }

    private static RuleViolation? VisitBlocked(Case @case, IReadOnlyList<FollowUpVisit> visits, Guid visitId)
    {
        if (@case.Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (!@case.HasBeenInjected) return FollowUpRules.NotInjected;
        if (visits.FirstOrDefault(v => v.Id == visitId) is not { } visit || visit.CaseId != @case.Id) return FollowUpRules.VisitNotOfCase;
        return null;
    }

    /// <summary>The calendar day at the clinic: visit windows and schedules are counted in its days.</summary>
    private static DateOnly ClinicDate(DateTimeOffset at, TimeZoneInfo clinicZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, clinicZone).DateTime);
}
