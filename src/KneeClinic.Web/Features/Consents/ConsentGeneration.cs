using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.Screening;
using KneeClinic.Documents.Consent;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Consents;

/// <summary>Makes the consent form for a case: picks the current template version, renders it, keeps the exact bytes.</summary>
public sealed class ConsentGeneration(ClinicDbContext db, ConsentTemplateLibrary library, ConsentRenderer renderer,
    Documents.Fonts.FontSet fonts, IOptions<ClinicOptions> options, ClinicClock clock)
{
    /// <summary>
    /// The form in <paramref name="language"/>; with <paramref name="shortFormLanguage"/>, the short-form route: the form
    /// becomes the written summary, printed with the short form in the patient's language, under one document number. With
    /// <paramref name="replacingReason"/>, a form already waiting in that language is voided for it.
    /// </summary>
    public async Task<RuleViolation?> GenerateAsync(Case @case, DocumentNumber number, string language, string clinicianId, string site,
        bool largePrint = false, string? shortFormLanguage = null, string? replacingReason = null)
    {
        if (@case.CanGenerateConsent() is { } violation) return violation;
        if (options.Value.BasisProblem(clock.Today) is { } basisProblem) return new RuleViolation("RegulatoryBasis", basisProblem);
        var template = await db.ConsentTemplates.Include(t => t.Versions).FirstOrDefaultAsync(t => t.CellSource == @case.CellSource && t.Kind == TemplateKind.ConsentForm);
        if (ConsentLanguage.From(language) is not { } written || template?.Current(written) is not { } version) return NoTemplate;
        ConsentTemplateVersion? shortForm = null;
        if (shortFormLanguage is not null)
        {
            var shortForms = await db.ConsentTemplates.Include(t => t.Versions).FirstOrDefaultAsync(t => t.Kind == TemplateKind.ShortForm);
            if (ConsentLanguage.From(shortFormLanguage) is not { } spoken || shortForms?.Current(spoken) is not { } current) return NoShortForm;
            shortForm = current;
        }

        var patient = await db.Patients.SingleAsync(p => p.Id == @case.PatientId);
        var clinician = await db.Users.Where(u => u.Id == @case.AssignedClinicianId).Select(u => u.DisplayName).SingleAsync();
        var clinic = options.Value;
        var now = clock.Now;
        var request = new ConsentRequest(
            patient.FullName, patient.DateOfBirth, patient.Mrn.Value, @case.Knee == KneeSide.Left ? Knee.Left : Knee.Right, clinician,
            clinic.Details, clinic.Cost(@case.CellSource), number, now, Notes(@case.Screening), VerificationLink(site, number),
            clinic.StudyDetails, largePrint, ShortFormSummary: shortForm is not null, CellSource: @case.CellSource.ToString());
        // A legal form must show what it says: no name printed as empty boxes.
        var missing = fonts.MissingGlyphs(string.Concat(request.PatientName, request.PatientMrn, request.ClinicianName,
            string.Concat(request.PatientNotes.Select(n => n.Medicine))));
        if (missing.Count > 0)
            return new RuleViolation("Unprintable", $"The form cannot print these characters: {string.Join(" ", missing)}. " +
                "Check the patient's name and details, or write them in Latin letters as on the patient's identity papers.");
        RenderedConsent rendered;
        RenderedConsent? shortFormRendered = null;
        string html;
        try
        {
            rendered = renderer.Render(library.Parsed(version), request);
            html = ConsentRenderer.Html(library.Parsed(version), request);
            if (shortForm is not null) shortFormRendered = renderer.Render(library.Parsed(shortForm), request with { ShortFormSummary = false });
        }
        catch (MissingPlaceholderException e)
        {
            return new RuleViolation("PlaceholderUnset", $"The form needs {{{{ {e.Placeholder} }}}}, which has no value. " +
                $"An administrator must set {ClinicOptions.SettingFor(e.Placeholder)} before consent forms can be made.");
        }

        var document = new ConsentDocument(@case.Id, version.Id, number, rendered.Pdf, rendered.Sha256, clinicianId, now, rendered.ContentHash, largePrint, html, written);
        if (shortForm is not null) document.AttachShortForm(shortForm.Id, shortForm.Language, shortFormRendered!.Pdf, shortFormRendered.Sha256);
        return @case.AddConsent(document, replacingReason);
    }

    public static readonly RuleViolation NoTemplate = new(nameof(NoTemplate),
        "There is no published consent template for this cell source in that language.");

    public static readonly RuleViolation NoShortForm = new(nameof(NoShortForm),
        "There is no published short form in that language. An administrator can add one under Consent templates.");

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

    /// <summary>Screening facts the patient must act on: medicines to pause. The template words them in the form's language.</summary>
    private static List<MedicineNote> Notes(CaseScreening screening) =>
        screening.Medications.Where(m => m.NeedsAttention).Select(m => new MedicineNote(m.Name, m.Kind switch
        {
            MedicationKind.Anticoagulant => MedicineKind.Anticoagulant,
            MedicationKind.Nsaid => MedicineKind.Nsaid,
            var other => throw new InvalidOperationException($"A {other} medicine never needs a note on the form."),
        }, m.PauseFrom, m.ResumeOn)).ToList();
}
