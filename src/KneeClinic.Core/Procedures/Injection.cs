using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;

namespace KneeClinic.Core.Procedures;

/// <summary>The ultrasound-guided injection of a released product into the case's knee.</summary>
public sealed class Injection
{
    private Injection() { }

    internal Injection(Guid caseId, Guid productId, ProductCode productCodeChecked, KneeSide knee, decimal volumeMl,
        string approach, bool ultrasoundGuided, string clinicianId, DateTimeOffset performedAt,
        string? immediateReaction, bool dischargeInstructionsGiven)
    {
        CaseId = caseId;
        ProductId = productId;
        ProductCodeChecked = productCodeChecked;
        Knee = knee;
        VolumeMl = volumeMl;
        Approach = approach;
        UltrasoundGuided = ultrasoundGuided;
        ClinicianId = clinicianId;
        PerformedAt = performedAt;
        ImmediateReaction = immediateReaction;
        DischargeInstructionsGiven = dischargeInstructionsGiven;
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid CaseId { get; private set; }
    public Guid ProductId { get; private set; }

    /// <summary>The code read off the product at the bedside, checked against the case's product.</summary>
    public ProductCode ProductCodeChecked { get; private set; }
    public KneeSide Knee { get; private set; }
    public decimal VolumeMl { get; private set; }
    public string Approach { get; private set; } = "";
    public bool UltrasoundGuided { get; private set; }
    public string ClinicianId { get; private set; } = "";
    public DateTimeOffset PerformedAt { get; private set; }
    [PatientData]
    public string? ImmediateReaction { get; private set; }
    public bool DischargeInstructionsGiven { get; private set; }
}

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
/// The bedside time-out before the needle: the product's code as scanned or typed from its label, the knee marked
/// for injection, and the patient's two identifiers confirmed (name with date of birth as the patient says them, and the
/// record number on the wristband).
/// </summary>
public sealed record TimeOutCheck(
    string ProductCode,
    KneeSide Knee,
    bool NameAndBirthDateConfirmed,
    bool RecordNumberConfirmed,
    string ClinicianId);
