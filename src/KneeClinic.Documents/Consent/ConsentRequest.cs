namespace KneeClinic.Documents.Consent;

public enum Knee
{
    Left,
    Right,
}

public enum MedicineKind
{
    Anticoagulant,
    Nsaid,
}

/// <summary>
/// The clinic's details printed on a form: its contacts, an independent contact for questions about the patient's
/// rights (not the treating team), and the share of the fee given back if the clinician stops the procedure.
/// </summary>
public sealed record ClinicDetails(
    string Name, string Phone, string Address, string AfterHoursPhone, string RightsContactName, string RightsContactPhone,
    decimal RefundBeforeStart, decimal RefundAfterStart);

/// <summary>The cost estimate for the cell source, in dollars; printed in the form's culture.</summary>
public sealed record CostRange(decimal Low, decimal High);

/// <summary>A medicine screening found the patient must act on before the procedure.</summary>
public sealed record MedicineNote(string Medicine, MedicineKind Kind, DateOnly? PauseFrom, DateOnly? ResumeOn);

/// <summary>The IND and IRB-approved study a product is given under. Empty values are unset settings.</summary>
public sealed record StudyDetails(
    string Title, string IndNumber, string Sponsor, string IrbName, string IrbPhone, DateOnly? IrbApproved, DateOnly? IrbExpires,
    string NctNumber, int? Participants)
{
    public RegulatoryBasis Basis => string.IsNullOrWhiteSpace(NctNumber) ? RegulatoryBasis.Study : RegulatoryBasis.RegisteredStudy;

    public static readonly StudyDetails Sample = new("Bone-marrow, fat and cord cells for knee arthritis: a safety study", "123456",
        "Example Research Sponsor", "Example Independent IRB", "(555) 010-0177", new DateOnly(2026, 6, 1), new DateOnly(2027, 5, 31),
        "NCT00000000", 40);
}

/// <summary>
/// Everything a consent form is made from, besides its template. <see cref="VerificationUrl"/> is the address
/// the form's QR code opens: the verification page for this document. <see cref="Study"/> null: the product is
/// not given under an IND or an IRB-approved study. <see cref="ShortFormSummary"/>: the form is the written summary of
/// a short-form consent, signed by the witness and the person obtaining consent, not by the patient.
/// <see cref="CellSource"/> (BoneMarrow, Adipose, UmbilicalCord): the case's, for the short form, which serves every
/// cell source and says where the cells come from; a consent form is for its own cell source.
/// </summary>
public sealed record ConsentRequest(
    string PatientName,
    DateOnly PatientDateOfBirth,
    string PatientMrn,
    Knee Knee,
    string ClinicianName,
    ClinicDetails Clinic,
    CostRange Cost,
    string DocumentNumber,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<MedicineNote> PatientNotes,
    string VerificationUrl,
    StudyDetails? Study = null,
    bool LargePrint = false,
    bool ShortFormSummary = false,
    string? CellSource = null)
{
    public RegulatoryBasis Basis => Study?.Basis ?? RegulatoryBasis.NoStudy;

    public static readonly ClinicDetails SampleClinic = new("Example Knee Clinic", "(555) 010-0199", "100 Sample Street, Springfield",
        "(555) 010-0111", "Example Patient Advocate Office", "(555) 010-0122", 1m, 0.5m);

    /// <summary>Made-up data for previews and template checks; clearly not a real person.</summary>
    public static ConsentRequest Sample(DateTimeOffset at, string language = "en") => new(
        "Zoë Müller-Øvergård", new DateOnly(1961, 3, 14), "SAMPLE-00042", Knee.Left, "Dr Sam Example", SampleClinic,
        new CostRange(4800, 6500), "KC-SAMPLE-0001", at,
        [new MedicineNote("Apixaban", MedicineKind.Anticoagulant, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 4))],
        "HTTPS://CLINIC.EXAMPLE/CONSENTS/VERIFY/KC-SAMPLE-0001");
}

/// <summary>A rendered consent: the exact bytes to store and hand out, their SHA-256, and the content hash printed on every page.</summary>
public sealed record RenderedConsent(byte[] Pdf, string Sha256, string ContentHash, int Pages, string Title);
