using System.Globalization;
using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.Screening;
using KneeClinic.Documents.Consent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Consents;

/// <summary>Makes the consent form for a case: picks the current template version, renders it, keeps the exact bytes.</summary>
public sealed class ConsentGeneration(ClinicDbContext db, ConsentTemplateLibrary library, ConsentRenderer renderer,
    Documents.Fonts.FontSet fonts, IOptions<ClinicOptions> options, TimeProvider clock)
{
    public async Task<(ConsentDocument? Document, RuleViolation? Violation)> GenerateAsync(Case @case, string language, string clinicianId, string site)
    {
        if (@case.CanGenerateConsent() is { } violation) return (null, violation);
        var template = await db.ConsentTemplates.Include(t => t.Versions).FirstOrDefaultAsync(t => t.CellSource == @case.CellSource);
        if (template?.Current(language) is not { } version) return (null, NoTemplate);

        var patient = await db.Patients.SingleAsync(p => p.Id == @case.PatientId);
        var clinician = await db.Users.Where(u => u.Id == @case.AssignedClinicianId).Select(u => u.DisplayName).SingleAsync();
        var clinic = options.Value;
        var now = clock.GetUtcNow();
        var number = DocumentNumber(now);
        var request = new ConsentRequest(
            patient.FullName, patient.DateOfBirth, patient.Mrn, @case.Knee == KneeSide.Left ? Knee.Left : Knee.Right, clinician,
            new ClinicDetails(clinic.Name, clinic.Phone, clinic.Address),
            clinic.CostEstimates.GetValueOrDefault(@case.CellSource, "ask the clinic"),
            number, now, Notes(@case.Screening, language), VerificationLink(site, number));
        // A legal form must show what it says: no name printed as empty boxes.
        var missing = fonts.MissingGlyphs(string.Concat(request.PatientName, request.PatientMrn, request.ClinicianName, string.Concat(request.PatientNotes)));
        if (missing.Count > 0)
            return (null, new RuleViolation("Unprintable", $"The form cannot print these characters: {string.Join(" ", missing)}. " +
                "Check the patient's name and details, or write them in Latin letters as on the patient's identity papers."));
        var rendered = renderer.Render(library.Parsed(version), request);

        var document = new ConsentDocument(@case.Id, version.Id, number, rendered.Pdf, rendered.Sha256, clinicianId, now, rendered.ContentHash);
        db.ConsentDocuments.Add(document);
        return (document, null);
    }

    public static readonly RuleViolation NoTemplate = new(nameof(NoTemplate),
        "There is no published consent template for this cell source in that language.");

    /// <summary>A number that identifies the form on paper without saying anything about the patient.</summary>
    private static string DocumentNumber(DateTimeOffset now) => $"KC-{now.Year}-{RandomCode.New(8)}";

    /// <summary>
    /// The address the form's QR code opens. Scheme and host are case-blind and so is our routing, so they are
    /// written in capitals: a QR code of capitals, digits and "/:-." uses its compact alphanumeric mode, a smaller
    /// code that prints and scans more reliably (and encodes in half the time). A path prefix of the site is
    /// kept exactly as configured, since a proxy in front may match it case by case.
    /// </summary>
    public static string VerificationLink(string site, string documentNumber)
    {
        var uri = new Uri(site.TrimEnd('/') + "/", UriKind.Absolute);
        var origin = uri.GetLeftPart(UriPartial.Authority).ToUpperInvariant();
        return $"{origin}{uri.AbsolutePath}CONSENTS/VERIFY/{Uri.EscapeDataString(documentNumber)}";
    }

    /// <summary>Screening facts the patient must act on, in the form's language: medicines to pause.</summary>
    private static List<string> Notes(CaseScreening screening, string language)
    {
        var spanish = language.StartsWith("es", StringComparison.OrdinalIgnoreCase);
        var culture = CultureInfo.GetCultureInfo(spanish ? "es-US" : "en-US");
        string Day(DateOnly d) => d.ToString(spanish ? "d 'de' MMMM 'de' yyyy" : "MMMM d, yyyy", culture);
        return screening.Medications.Where(m => m.NeedsAttention).Select(m =>
        {
            var kind = m.Kind == MedicationKind.Anticoagulant
                ? (spanish ? "anticoagulante" : "a blood thinner")
                : (spanish ? "antiinflamatorio (AINE)" : "an anti-inflammatory (NSAID)");
            var plan = (m.PauseFrom, m.ResumeOn) switch
            {
                ({ } from, { } to) => spanish ? $"deje de tomarlo el {Day(from)} y vuelva a tomarlo el {Day(to)}." : $"stop taking it on {Day(from)} and start again on {Day(to)}.",
                ({ } from, null) => spanish ? $"deje de tomarlo el {Day(from)}; su médico le dirá cuándo volver a tomarlo." : $"stop taking it on {Day(from)}; your clinician will tell you when to start again.",
                _ => spanish ? "pregunte a su médico si debe dejar de tomarlo antes del procedimiento." : "ask your clinician whether to stop it before the procedure.",
            };
            return $"{m.Name} ({kind}): {plan}";
        }).ToList();
    }
}
