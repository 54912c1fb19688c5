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
/// donor products with a <see cref="Receipt"/>; both end with <see cref="Processing"/>.
/// </summary>
public sealed class CellProduct : Aggregate
{
    private CellProduct() { }

    public CellProduct(Guid caseId, string productCode, CellSource source)
    {
        CaseId = caseId;
        ProductCode = productCode;
        Source = source;
    }

    public Guid CaseId { get; private set; }
    public string ProductCode { get; private set; } = "";
    public CellSource Source { get; private set; }
    public HarvestRecord? Harvest { get; private set; }
    public ProductReceipt? Receipt { get; private set; }
    public ProcessingRecord? Processing { get; private set; }
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
    string Storage);

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
    DateTimeOffset DecidedAt);
