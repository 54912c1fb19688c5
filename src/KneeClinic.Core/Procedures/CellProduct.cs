using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;

namespace KneeClinic.Core.Procedures;

public enum ReleaseDecision
{
    Released,
    Rejected,
}

/// <summary>
/// The cells made or received for one case, identified by a product code that carries no
/// patient name or record number. Autologous products start with a <see cref="Harvest"/>,
/// donor products with a <see cref="Receipt"/>; both end with <see cref="Processing"/>
/// (for donor cells: thawing and preparation), where a second person verifies and the product is
/// released or rejected.
/// </summary>
public sealed class CellProduct : Aggregate
{
    private CellProduct() { }

    private CellProduct(Guid caseId, CellSource source)
    {
        CaseId = caseId;
        ProductCode = Procedures.ProductCode.New();
        Source = source;
    }

    public Guid CaseId { get; private set; }
    public ProductCode ProductCode { get; private set; }
    public CellSource Source { get; private set; }
    public HarvestRecord? Harvest { get; private set; }
    public ProductReceipt? Receipt { get; private set; }
    public ProcessingRecord? Processing { get; private set; }

    /// <summary>Released at processing and not discarded since: the only state in which it may be injected.</summary>
    public bool IsReleased => Processing?.Release == ReleaseDecision.Released && DiscardedAt is null;
    public bool IsRejected => Processing?.Release == ReleaseDecision.Rejected;

    /// <summary>A released product that can no longer be used (past its use-by time, damaged, lost) is discarded, never deleted.</summary>
    public DateTimeOffset? DiscardedAt { get; private set; }
    public string? DiscardedById { get; private set; }
    [PatientData]
    public string? DiscardReason { get; private set; }

    /// <summary>
    /// The pre-injection time-out: when, and by whom, the patient's identity, this product and the knee were checked at
    /// the bedside. The injection record opens only after it.
    /// </summary>
    public DateTimeOffset? TimeOutAt { get; private set; }
    public string? TimeOutById { get; private set; }

    /// <summary>The product a case is working with: the latest one obtained. A rejected one stays on record but is not current.</summary>
    public static CellProduct? Current(IEnumerable<CellProduct> products) =>
        products.Where(p => !p.IsRejected).OrderBy(p => p.ObtainedAt).LastOrDefault();

    /// <summary>When the product was in hand: the end of the harvest or the receipt.</summary>
    public DateTimeOffset ObtainedAt => Harvest?.EndedAt ?? Receipt!.ReceivedAt;

    internal static CellProduct FromHarvest(Guid caseId, CellSource source, HarvestRecord harvest) =>
        new(caseId, source) { Harvest = harvest };

    internal static CellProduct FromReceipt(Guid caseId, CellSource source, ProductReceipt receipt) =>
        new(caseId, source) { Receipt = receipt };

    /// <summary>
    /// Records processing and the release decision. Expiry dates (kit, donor lot) run to the end of that day at the
    /// clinic, so they are compared in the clinic's time zone.
    /// </summary>
    internal RuleViolation? RecordProcessing(ProcessingRecord record, ClinicClock clock)
    {
        var now = clock.Now;
        if (Processing is not null) return PathwayRules.AlreadyProcessed;
        if (record.EndedAt < record.StartedAt) return PathwayRules.EndsBeforeStart;
        if (record.EndedAt > now || record.DecidedAt > now) return PathwayRules.InFuture;
        if (record.DecidedAt < record.EndedAt) return PathwayRules.DecidedBeforeProcessingEnded;
        if (record.StartedAt < ObtainedAt) return PathwayRules.ProcessedBeforeObtained;
        if (record.VerifierId == record.OperatorId) return PathwayRules.SecondVerifierMustDiffer;
        if (record.OutputVolumeMl <= 0) return PathwayRules.VolumeRequired;
        if (record.ViabilityPercent is < 0 or > 100) return PathwayRules.ViabilityOutOfRange;
        if (record.Release == ReleaseDecision.Released)
        {
            if (record.KitExpiry < clock.DateOf(record.StartedAt)) return PathwayRules.KitExpired;
            if (record.UseBy is not { } useBy || useBy <= record.DecidedAt) return PathwayRules.UseByRequired;
            if (Receipt is { } receipt && useBy > clock.EndOf(receipt.Expiry)) return PathwayRules.UseByAfterLotExpiry;
        }
        Processing = record;
        return null;
    }

    internal void RecordTimeOut(string byId, DateTimeOffset at)
    {
        TimeOutAt = at;
        TimeOutById = byId;
    }

    internal RuleViolation? Discard(string reason, string byId, DateTimeOffset now)
    {
        if (!IsReleased) return PathwayRules.OnlyReleasedCanBeDiscarded;
        if (string.IsNullOrWhiteSpace(reason)) return PathwayRules.DiscardReasonRequired;
        DiscardedAt = now;
        DiscardedById = byId;
        DiscardReason = reason.Trim();
        return null;
    }
}

public sealed record HarvestRecord(
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string Site,
    decimal VolumeMl,
    string Anaesthesia,
    string? AnticoagulantLot,
    DateOnly? AnticoagulantExpiry,
    string OperatorId,
    [property: PatientData] string? Complications);

public sealed record ProductReceipt(
    string Supplier,
    string Lot,
    DateOnly Expiry,
    string DonorEligibilityReference,
    string ReceivedById,
    DateTimeOffset ReceivedAt,
    string Storage);

/// <summary>
/// Processing of a harvest, or thawing and preparation of a donor product, checked by a second person and
/// ended by the release decision. A released product carries the time it must be used by.
/// </summary>
public sealed record ProcessingRecord(
    string Method,
    string Device,
    string KitLot,
    DateOnly KitExpiry,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    decimal OutputVolumeMl,
    decimal? TotalNucleatedCells,
    decimal? ViabilityPercent,
    string OperatorId,
    string VerifierId,
    ReleaseDecision Release,
    DateTimeOffset DecidedAt,
    DateTimeOffset? UseBy = null,
    string? ReleaseNote = null);
