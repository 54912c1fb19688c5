using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Features.Consents;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using FhirConsent = Hl7.Fhir.Model.Consent;
using FhirPatient = Hl7.Fhir.Model.Patient;
using Task = System.Threading.Tasks.Task;

namespace KneeClinic.Web.Features.Exports;

/// <summary>
/// One patient as a FHIR R4 Bundle (type collection), built with Firely's SDK: the Patient; each consent form as a
/// Consent whose source is a DocumentReference holding the printed PDF and, once signed, the signed scan, each with its
/// SHA-1 hash as FHIR's Attachment.hash defines it; the harvest or receipt and the injection as Procedures (the knee
/// with its side, in SNOMED CT); pain and the KOOS subscales at screening and each visit as Observations with their
/// LOINC codes; adverse events (entries made in error left out) as AdverseEvents. Resources refer to each other by
/// urn:uuid full URLs, so the file stands alone.
/// </summary>
public sealed class FhirExport(ClinicDbContext db, ScanStore scans, IOptions<ClinicOptions> clinic)
{
    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions { WriteIndented = true }.ForFhir(ModelInfo.ModelInspector);

    private const string Loinc = "http://loinc.org", Snomed = "http://snomed.info/sct";

    /// <summary>LOINC for the 0-10 pain rating and the five KOOS subscale scores.</summary>
    public const string PainNrsLoinc = "72514-3";
    public static readonly IReadOnlyDictionary<KoosSubscale, (string Code, string Display)> KoosLoinc = new Dictionary<KoosSubscale, (string, string)>
    {
        [KoosSubscale.Symptoms] = ("72101-9", "Symptoms score [KOOS]"),
        [KoosSubscale.Pain] = ("72102-7", "Pain score [KOOS]"),
        [KoosSubscale.DailyLiving] = ("72100-1", "Activities of daily living score [KOOS]"),
        [KoosSubscale.SportRecreation] = ("72099-5", "Sport-recreation score [KOOS]"),
        [KoosSubscale.QualityOfLife] = ("72098-7", "Quality of life score [KOOS]"),
    };

    /// <summary>The bundle for the patient, or null when there is no such patient.</summary>
    public async Task<Bundle?> BuildAsync(Guid patientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, cancellationToken);
        if (patient is null) return null;
        var cases = await db.Cases.AsNoTracking().Where(c => c.PatientId == patientId)
            .Include(c => c.ConsentDocuments).Include(c => c.Products).Include(c => c.Injection).Include(c => c.Visits).Include(c => c.AdverseEvents)
            .OrderBy(c => c.OpenedAt).AsSplitQuery().ToListAsync(cancellationToken);
        var versionIds = cases.SelectMany(c => c.ConsentDocuments).Select(d => d.TemplateVersionId).Distinct().ToList();
        var versions = await db.ConsentTemplateVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Join(db.ConsentTemplates, v => v.TemplateId, t => t.Id, (v, t) => new { v.Id, t.Title, v.Version })
            .ToDictionaryAsync(v => v.Id, v => $"{v.Title}, version {v.Version}", cancellationToken);

        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Timestamp = now,
            Identifier = new Identifier("urn:ietf:rfc:3986", Urn(Guid.CreateVersion7())),
        };
        var subject = Add(bundle, patient.Id, PatientOf(patient));
        foreach (var @case in cases)
        {
            foreach (var document in @case.ConsentDocuments.OrderBy(d => d.GeneratedAt))
            {
                var reference = Add(bundle, Guid.CreateVersion7(), await DocumentOf(document, subject, cancellationToken));
                Add(bundle, document.Id, ConsentOf(document, subject, reference, versions.GetValueOrDefault(document.TemplateVersionId)));
            }
            foreach (var product in @case.Products.Where(p => p.Harvest is not null || p.Receipt is not null))
                Add(bundle, product.Id, ObtainedOf(@case, product, subject));
            ResourceReference? injection = @case.Injection is { } i ? Add(bundle, i.Id, InjectionOf(@case, i, subject)) : null;

            if (@case.Screening.CheckupDate is { } checkup)
                foreach (var observation in ObservationsOf(subject, new FhirDateTime(checkup.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "screening",
                    @case.Screening.BaselinePainNrs?.Value, @case.Screening.BaselineKoos))
                    Add(bundle, Guid.CreateVersion7(), observation);
            foreach (var visit in @case.Visits.Where(v => v.Status == VisitStatus.Completed).OrderBy(v => v.VisitedAt))
                foreach (var observation in ObservationsOf(subject, new FhirDateTime(visit.VisitedAt!.Value), visit.Label, visit.PainNrs?.Value, visit.Koos))
                    Add(bundle, Guid.CreateVersion7(), observation);
            foreach (var adverse in @case.AdverseEvents.Where(e => !e.EnteredInError).OrderBy(e => e.OnsetOn))
                Add(bundle, adverse.Id, AdverseEventOf(adverse, subject, injection));
        }
        return bundle;
    }

    private static string Urn(Guid id) => $"urn:uuid:{id:D}";

    private static ResourceReference Add(Bundle bundle, Guid id, Resource resource)
    {
        resource.Id = id.ToString("D");
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Urn(id), Resource = resource });
        return new ResourceReference(Urn(id));
    }

    private string Site => clinic.Value.PublicBaseUrl is { Length: > 0 } b ? b.TrimEnd('/') : "http://localhost:5080";

    private string System(string what) => $"{Site}/identifiers/{what}";

    private FhirPatient PatientOf(Core.Patients.Patient p)
    {
        var patient = new FhirPatient
        {
            Identifier = [new Identifier(System("mrn"), p.Mrn.ToString()) { Use = Identifier.IdentifierUse.Usual }],
            Name = [new HumanName { Family = p.FamilyName, Given = [p.GivenName], Use = HumanName.NameUse.Official }],
            BirthDate = p.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Gender = p.Sex switch
            {
                Sex.Female => AdministrativeGender.Female,
                Sex.Male => AdministrativeGender.Male,
                Sex.Other => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            },
        };
        if (p.Phone is { Length: > 0 } phone) patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, phone));
        if (p.Email is { Length: > 0 } email) patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, null, email));
        return patient;
    }

    private static readonly CodeableConcept ConsentDocumentType = new(Loinc, "59284-0", "Patient Consent");

    private async Task<DocumentReference> DocumentOf(ConsentDocument d, ResourceReference subject, CancellationToken cancellationToken)
    {
        var reference = new DocumentReference
        {
            Status = d.Status == ConsentStatus.Voided ? DocumentReferenceStatus.EnteredInError : DocumentReferenceStatus.Current,
            Identifier = [new Identifier(System("consent-documents"), d.DocumentNumber.ToString())],
            Type = ConsentDocumentType,
            Subject = subject,
            Date = d.GeneratedAt,
            Content = [new DocumentReference.ContentComponent { Attachment = Attachment("application/pdf", d.Content, $"Consent form {d.DocumentNumber} as printed", d.GeneratedAt) }],
        };
        if (d.Signature is { } signature && scans.Open(signature.ScanFileName) is { } stream)
        {
            await using (stream)
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken);
                reference.Content.Add(new DocumentReference.ContentComponent
                {
                    Attachment = Attachment(signature.ScanContentType, copy.ToArray(), $"Consent form {d.DocumentNumber} as signed (scan)", signature.RecordedAt),
                });
            }
        }
        return reference;
    }

    /// <summary>
    /// FHIR R4 defines Attachment.hash as the SHA-1 of the data, base64: a receiver checks the file with it. It guards
    /// against a damaged copy, not a forged one (the clinic's own record of each form is SHA-256). Size is left out: the
    /// SDK writes it as a string, which its own R4 parser then refuses.
    /// </summary>
#pragma warning disable CA5350 // SHA-1 because the FHIR R4 standard names it for this field.
    private static Attachment Attachment(string contentType, byte[] data, string title, DateTimeOffset created) => new()
    {
        ContentType = contentType,
        Data = data,
        Hash = SHA1.HashData(data),
        Title = title,
        CreationElement = new FhirDateTime(created),
    };
#pragma warning restore CA5350

    private FhirConsent ConsentOf(ConsentDocument d, ResourceReference subject, ResourceReference document, string? policy) => new()
    {
        Status = d.Status switch
        {
            ConsentStatus.Generated => FhirConsent.ConsentState.Proposed,
            ConsentStatus.Signed => FhirConsent.ConsentState.Active,
            ConsentStatus.Withdrawn => FhirConsent.ConsentState.Inactive,
            ConsentStatus.Voided => FhirConsent.ConsentState.EnteredInError,
        },
        Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment"),
        Category = [ConsentDocumentType],
        Patient = subject,
        DateTimeElement = new FhirDateTime(d.Signature?.SignedAt ?? d.GeneratedAt),
        PolicyRule = new CodeableConcept { Text = $"{policy ?? "Consent form"} ({d.Language.Tag}): investigational cell injection into the knee" },
        // The exact wording the patient signed: that template version's page in the clinic's own system.
        Policy = [new FhirConsent.PolicyComponent { Authority = Site, Uri = $"{Site}/ConsentTemplates/Preview/{d.TemplateVersionId}" }],
        Source = document,
        Identifier = [new Identifier(System("consent-documents"), d.DocumentNumber.ToString())],
    };

    /// <summary>SNOMED CT: structure of the left or right knee region.</summary>
    private static CodeableConcept Knee(KneeSide side) => side switch
    {
        KneeSide.Left => new CodeableConcept(Snomed, "82169009", "Structure of left knee region", "Left knee"),
        KneeSide.Right => new CodeableConcept(Snomed, "6757004", "Structure of right knee region", "Right knee"),
    };

    private Procedure ObtainedOf(Case c, Core.Procedures.CellProduct product, ResourceReference subject) => product.Harvest is { } h
        ? new Procedure
        {
            Status = EventStatus.Completed,
            Code = new CodeableConcept { Text = c.CellSource == CellSource.Adipose ? "Fat harvest (mini-liposuction) for cell processing" : "Bone-marrow aspiration for cell processing" },
            Subject = subject,
            Performed = new Period(new FhirDateTime(h.StartedAt), new FhirDateTime(h.EndedAt)),
            BodySite = [new CodeableConcept { Text = h.Site }],
            Identifier = [new Identifier(System("products"), product.ProductCode.ToString())],
        }
        : new Procedure
        {
            Status = EventStatus.Completed,
            Code = new CodeableConcept { Text = "Receipt of donor umbilical-cord cell product" },
            Subject = subject,
            Performed = new FhirDateTime(product.Receipt!.ReceivedAt),
            Identifier = [new Identifier(System("products"), product.ProductCode.ToString())],
            Note = [new Annotation { Text = $"Supplier {product.Receipt.Supplier}, lot {product.Receipt.Lot}" }],
        };

    private static Procedure InjectionOf(Case c, Core.Procedures.Injection i, ResourceReference subject) => new()
    {
        Status = EventStatus.Completed,
        Code = new CodeableConcept
        {
            Text = $"{(i.UltrasoundGuided ? "Ultrasound-guided i" : "I")}ntra-articular injection of {c.CellSource.DisplayName()} cells (investigational)",
        },
        Subject = subject,
        Performed = new FhirDateTime(i.PerformedAt),
        BodySite = [Knee(i.Knee)],
        UsedCode = [new CodeableConcept { Text = $"Cell product {i.ProductCodeChecked}, {i.VolumeMl} ml" }],
    };

    private static IEnumerable<Observation> ObservationsOf(ResourceReference subject, FhirDateTime at, string when, int? pain, KoosScores? koos)
    {
        if (pain is { } p) yield return Score(subject, at, when, new CodeableConcept(Loinc, PainNrsLoinc, "Pain severity - 0-10 verbal numeric rating [Score] - Reported"), p);
        if (koos is null) yield break;
        foreach (var (subscale, (code, display)) in KoosLoinc)
            if (koos[subscale] is { } value) yield return Score(subject, at, when, new CodeableConcept(Loinc, code, display), value);
    }

    private static readonly List<CodeableConcept> Survey = [new("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")];

    private static Observation Score(ResourceReference subject, FhirDateTime at, string when, CodeableConcept code, decimal value) => new()
    {
        Status = ObservationStatus.Final,
        Category = Survey,
        Code = code,
        Subject = subject,
        Effective = at,
        Value = new Quantity { Value = value, Unit = "score", System = "http://unitsofmeasure.org", Code = "{score}" },
        Note = [new Annotation { Text = when == "screening" ? "At screening (baseline)" : $"Follow-up visit: {when}" }],
    };

    private static Hl7.Fhir.Model.AdverseEvent AdverseEventOf(Core.FollowUp.AdverseEvent e, ResourceReference subject, ResourceReference? injection)
    {
        var adverse = new Hl7.Fhir.Model.AdverseEvent
        {
            Actuality = Hl7.Fhir.Model.AdverseEvent.AdverseEventActuality.Actual,
            Subject = subject,
            Date = e.OnsetOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RecordedDate = e.ReportedAt.ToString("o"),
            Event = new CodeableConcept { Text = $"{e.Category.Label()}: {e.Description}" },
            Seriousness = e.IsSerious
                ? new CodeableConcept("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness", "serious", "Serious")
                : new CodeableConcept("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness", "non-serious", "Non-serious"),
            Severity = new CodeableConcept("http://terminology.hl7.org/CodeSystem/adverse-event-severity", e.CtcaeGrade switch { 1 => "mild", 2 => "moderate", _ => "severe" },
                null, $"CTCAE grade {e.CtcaeGrade}"),
            Outcome = new CodeableConcept("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", e.Outcome switch
            {
                AdverseEventOutcome.Ongoing => "ongoing",
                AdverseEventOutcome.Resolved => "resolved",
                AdverseEventOutcome.ResolvedWithSequelae => "resolvedWithSequelae",
                AdverseEventOutcome.Fatal => "fatal",
                _ => "unknown",
            }, null, e.Outcome.Label()),
        };
        if (injection is not null)
            adverse.SuspectEntity.Add(new Hl7.Fhir.Model.AdverseEvent.SuspectEntityComponent
            {
                Instance = injection,
                Causality = [new Hl7.Fhir.Model.AdverseEvent.CausalityComponent { Assessment = new CodeableConcept { Text = e.Relatedness.Label() } }],
            });
        return adverse;
    }
}
