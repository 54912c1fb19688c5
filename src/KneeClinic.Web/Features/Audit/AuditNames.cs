using System.Text.RegularExpressions;

namespace KneeClinic.Web.Features.Audit;

/// <summary>
/// How the audit trail's record types and field names read on screen, and the page each record opens on. The trail
/// stores EF's names ("Case", "ConsentDocument.Signature#ConsentSignature", "ObtainedById"); a reviewer reads "Case",
/// "Consent signature", "Obtained by". A name not listed here is split into words, so a new field never shows blank.
/// </summary>
public static partial class AuditNames
{
    private static readonly Dictionary<string, string> Records = new(StringComparer.Ordinal)
    {
        ["Patient"] = "Patient",
        ["Case"] = "Case",
        ["CaseScreening"] = "Screening",
        ["Medication"] = "Medication",
        ["ImagingStudy"] = "Imaging study",
        ["ContraindicationFinding"] = "Contraindication",
        ["KoosScores"] = "KOOS scores",
        ["ConsentTemplate"] = "Consent template",
        ["ConsentTemplateVersion"] = "Consent template version",
        ["ConsentDocument"] = "Consent form",
        ["ConsentSignature"] = "Consent signature",
        ["CellProduct"] = "Cell product",
        ["HarvestRecord"] = "Harvest",
        ["ProductReceipt"] = "Product receipt",
        ["ProcessingRecord"] = "Processing",
        ["Injection"] = "Injection",
        ["FollowUpVisit"] = "Follow-up visit",
        ["AdverseEvent"] = "Adverse event",
        ["ClinicUser"] = "Staff account",
        ["Account"] = "Account",
        ["IdentityRole"] = "Role",
        ["UserRole"] = "Role of a staff account",
        ["UserToken"] = "Account token",
        ["UserClaim"] = "Account claim",
        ["UserLogin"] = "External login",
        ["RoleClaim"] = "Role claim",
        ["AuditTrail"] = "Audit trail",
        ["AuditTrailEntry"] = "Audit entry",
        ["PatientList"] = "Patient list",
        ["Dashboard"] = "Dashboard",
        ["ConsentRecordList"] = "Consent records",
    };

    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["Id"] = "Record id",
        ["Version"] = "Record version",
        ["Mrn"] = "MRN",
        ["KlGrade"] = "KL grade",
        ["Sha256"] = "SHA-256",
        ["ScanSha256"] = "Scan SHA-256",
        ["ShortFormSha256"] = "Short form SHA-256",
        ["CtcaeGrade"] = "CTCAE grade",
        ["TemplateVersionId"] = "Template version",
        ["TwoFactorEnabled"] = "Two-factor login",
        ["AccessFailedCount"] = "Wrong passwords in a row",
        ["LockoutEnd"] = "Locked until",
        ["LockoutEnabled"] = "Can be locked",
        ["PasswordHash"] = "Password",
        ["(as stored)"] = "(as stored)",
    };

    /// <summary>
    /// Where a record's page is, by the aggregate it belongs to ({0} is the first part of its key), and the policy that
    /// opens it: an administrator who is not also a clinician is not shown links to clinical pages they cannot open.
    /// </summary>
    private static readonly Dictionary<string, (string Pattern, string Policy)> Pages = new(StringComparer.Ordinal)
    {
        ["Patient"] = ("/Patients/Details/{0}", Startup.ClinicalPolicy),
        ["Case"] = ("/Cases/Details/{0}", Startup.ClinicalPolicy),
        ["ConsentTemplate"] = ("/ConsentTemplates", Startup.AdministrationPolicy),
        ["ConsentTemplateVersion"] = ("/ConsentTemplates/Preview/{0}", Startup.AdministrationPolicy),
        ["ConsentDocument"] = ("/Consents/Download/{0}", Startup.StaffPolicy),
        ["CellProduct"] = ("/Procedures/Label/{0}", Startup.ClinicalPolicy),
        ["FollowUpVisit"] = ("/Procedures/Visit/{0}", Startup.ClinicalPolicy),
        ["AdverseEvent"] = ("/Procedures/UpdateAdverseEvent/{0}", Startup.ClinicalPolicy),
        ["ClinicUser"] = ("/Staff/Edit/{0}", Startup.AdministrationPolicy),
        ["Account"] = ("/Staff/Edit/{0}", Startup.AdministrationPolicy),
        ["UserRole"] = ("/Staff/Edit/{0}", Startup.AdministrationPolicy),
        ["UserToken"] = ("/Staff/Edit/{0}", Startup.AdministrationPolicy),
        ["UserClaim"] = ("/Staff/Edit/{0}", Startup.AdministrationPolicy),
        ["UserLogin"] = ("/Staff/Edit/{0}", Startup.AdministrationPolicy),
        ["AuditTrailEntry"] = ("/Audit/Entry/{0}", Startup.AdministrationPolicy),
    };

    /// <summary>The patient page, which the MRN column links to.</summary>
    public static AuditLink Patient(Guid patientId) => new($"/Patients/Details/{patientId}", Startup.ClinicalPolicy);

    // Parts stored with their owner's key (one per owner), so they open on the owner's page. A list item such as a
    // medication has a key of its own and is found through the patient instead.
    private static readonly HashSet<string> PartsKeyedByOwner =
        ["CaseScreening", "KoosScores", "HarvestRecord", "ProductReceipt", "ProcessingRecord", "ConsentSignature"];

    /// <summary>"Consent form" for "ConsentDocument", "Consent signature" for "ConsentDocument.Signature#ConsentSignature".</summary>
    public static string Record(string entity) => Records.TryGetValue(TypeOf(entity), out var name) ? name : Words(TypeOf(entity));

    /// <summary>"Obtained by" for "ObtainedById", "Date of birth" for "DateOfBirth".</summary>
    public static string Field(string field) => Fields.TryGetValue(field, out var name) ? name
        : Words(field.Length > 2 && field.EndsWith("Id", StringComparison.Ordinal) ? field[..^2] : field);

    /// <summary>The app-relative address of the record's page and who may open it, or null when it has none.</summary>
    public static AuditLink? Link(string entity, string entityId)
    {
        var key = entityId.Split('/')[0];
        if (key.Length == 0) return null;
        var type = TypeOf(entity);
        var owner = entity.Split('.', '#')[0];
        var page = type == owner ? owner : PartsKeyedByOwner.Contains(type) ? owner : null;
        return page is not null && Pages.TryGetValue(page, out var target)
            ? new AuditLink(string.Format(System.Globalization.CultureInfo.InvariantCulture, target.Pattern, Uri.EscapeDataString(key)), target.Policy)
            : null;
    }

    /// <summary>The CLR type of an owned part ("…#ConsentSignature", "… (KoosScores)"), or the name as it is.</summary>
    public static string TypeOf(string entity)
    {
        var name = entity.IndexOf(" (", StringComparison.Ordinal) is > 0 and var paren ? entity[..paren] : entity;
        name = name[(name.LastIndexOf('#') + 1)..];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    /// <summary>"DateOfBirth" as "Date of birth"; a run of capitals ("KOOS") stays as it is.</summary>
    public static string Words(string name)
    {
        var words = WordBreak().Split(name).Where(w => w.Length > 0).ToList();
        if (words.Count == 0) return name;
        return string.Join(" ", words.Select((w, i) => i == 0 || (w.Length > 1 && w.All(char.IsUpper)) ? w : w.ToLowerInvariant()));
    }

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_")]
    private static partial Regex WordBreak();
}

/// <summary>A record's page: its app-relative address and the authorization policy it needs.</summary>
public sealed record AuditLink(string Path, string Policy);
