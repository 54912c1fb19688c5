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
        ProductCode = $"CP-{RandomCode.New(10)}"; // says nothing about the patient
        Source = source;
    }

    public Guid CaseId { get; private set; }
    public string ProductCode { get; private set; } = "";
    public CellSource Source { get; private set; }
    public HarvestRecord? Harvest { get; private set; }
    public ProductReceipt? Receipt { get; private set; }
    public ProcessingRecord? Processing { get; private set; }

    public bool IsReleased => Processing?.Release == ReleaseDecision.Released;
    public bool IsRejected => Processing?.Release == ReleaseDecision.Rejected;

    /// <summary>When the product was in hand: the end of the harvest or the receipt.</summary>
    public DateTimeOffset ObtainedAt => Harvest?.EndedAt ?? Receipt!.ReceivedAt;

    internal static CellProduct FromHarvest(Guid caseId, CellSource source, HarvestRecord harvest) =>
        new(caseId, source) { Harvest = harvest };

    internal static CellProduct FromReceipt(Guid caseId, ProductReceipt receipt) =>
        new(caseId, CellSource.UmbilicalCord) { Receipt = receipt };

    internal RuleViolation? RecordProcessing(ProcessingRecord record, DateTimeOffset now)
    {
        if (Processing is not null) return PathwayRules.AlreadyProcessed;
        if (record.EndedAt < record.StartedAt) return PathwayRules.EndsBeforeStart;
        if (record.EndedAt > now || record.DecidedAt > now) return PathwayRules.InFuture;
        if (record.StartedAt < ObtainedAt) return PathwayRules.ProcessedBeforeObtained;
        if (record.VerifierId == record.OperatorId) return PathwayRules.SecondVerifierMustDiffer;
        if (record.OutputVolumeMl <= 0) return PathwayRules.VolumeRequired;
        if (record.ViabilityPercent is < 0 or > 100) return PathwayRules.ViabilityOutOfRange;
        if (record.Release == ReleaseDecision.Released)
        {
            if (record.KitExpiry < DateOnly.FromDateTime(record.StartedAt.UtcDateTime)) return PathwayRules.KitExpired;
            if (record.UseBy is not { } useBy || useBy <= record.EndedAt) return PathwayRules.UseByRequired;
            if (Receipt is { } receipt && useBy > receipt.ExpiresAt) return PathwayRules.UseByAfterLotExpiry;
        }
        Processing = record;
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
    string? Complications);

public sealed record ProductReceipt(
    string Supplier,
    string Lot,
    DateOnly Expiry,
    string DonorEligibilityReference,
    string ReceivedById,
    DateTimeOffset ReceivedAt,
    string Storage)
{
    /// <summary>A lot is usable through the whole of its expiry date (UTC).</summary>
    public DateTimeOffset ExpiresAt => new(Expiry.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
}

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
