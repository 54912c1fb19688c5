namespace KneeClinic.Documents.Consent;

public enum Knee
{
    Left,
    Right,
}

public sealed record ClinicDetails(string Name, string Phone, string Address);

/// <summary>
/// Everything a consent form is made from, besides its template. <see cref="VerificationUrl"/> is the address
/// the form's QR code opens: the verification page for this document.
/// </summary>
public sealed record ConsentRequest(
    string PatientName,
    DateOnly PatientDateOfBirth,
    string PatientMrn,
    Knee Knee,
    string ClinicianName,
    ClinicDetails Clinic,
    string CostEstimate,
    string DocumentNumber,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<string> PatientNotes,
    string VerificationUrl)
{
    /// <summary>Made-up data for previews and template checks, in the form's language; clearly not a real person.</summary>
    public static ConsentRequest Sample(DateTimeOffset at, string language = "en") => new(
        "Zoë Müller-Øvergård", new DateOnly(1961, 3, 14), "SAMPLE-00042", Knee.Left, "Dr Sam Example",
        new ClinicDetails("Example Knee Clinic", "(555) 010-0199", "100 Sample Street, Springfield"),
        "$4,800 to $6,500", "KC-SAMPLE-0001", at,
        [language.StartsWith("es", StringComparison.OrdinalIgnoreCase)
            ? "Apixaban (anticoagulante): deje de tomarlo el día que le indique su médico y vuelva a tomarlo cuando le diga."
            : "Apixaban (a blood thinner): stop on the date your clinician gives you, and start again when they say."],
        "HTTPS://CLINIC.EXAMPLE/CONSENTS/VERIFY/KC-SAMPLE-0001");
}

/// <summary>A rendered consent: the exact bytes to store and hand out, their SHA-256, and the content hash printed on every page.</summary>
public sealed record RenderedConsent(byte[] Pdf, string Sha256, string ContentHash, int Pages, string Title);
