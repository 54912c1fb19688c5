using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;

namespace KneeClinic.Core.Tests;

/// <summary>A case walked along the pathway with its consent forms and product, for the gate tests.</summary>
internal sealed class PathwayCase
{
    public static readonly DateTimeOffset Now = CaseBuilder.Now;
    public const string Operator = "operator-1";
    public const string Verifier = "verifier-2";

    public PathwayCase(CellSource source = CellSource.BoneMarrow)
    {
        Case = new CaseBuilder().From(source).BuildEligible(Now.AddDays(-100));
        Template = new ConsentTemplate("consent-" + source, "Consent", source);
        Version = Template.NewDraft("en", CaseBuilder.Today, false, "body", Now.AddDays(-60));
        Assert.Null(Template.Publish(Version.Id, Now.AddDays(-59)));
    }

    public Case Case { get; }
    public ConsentTemplate Template { get; }
    public ConsentTemplateVersion Version { get; }
    public List<ConsentDocument> Documents { get; } = [];
    public CellProduct? Product { get; private set; }
    public IReadOnlyList<FollowUpVisit> Visits { get; private set; } = [];

    public CaseConsents Consents => new(Documents, Template.Versions);

    /// <summary>Prints and signs a consent at <paramref name="signedAt"/> and moves the case to Consented.</summary>
    public ConsentDocument Sign(DateTimeOffset signedAt)
    {
        var document = new ConsentDocument(Case.Id, Version.Id, $"KC-2026-{Documents.Count:D4}", [1], new string('a', 64), CaseBuilder.Clinician, signedAt.AddMinutes(-30));
        Assert.Null(document.RecordSignature(new ConsentSignature(signedAt, CaseBuilder.Clinician, null, null, null, true, "scan.pdf",
            "application/pdf", new string('b', 64), signedAt), signedAt));
        Assert.Null(Case.ConsentSigned(document.GeneratedAt));
        Documents.Add(document);
        return document;
    }

    public static HarvestRecord Harvest(DateTimeOffset? start = null, decimal volume = 60) =>
        new(start ?? Now.AddHours(-5), (start ?? Now.AddHours(-5)).AddMinutes(40), "Right posterior iliac crest", volume,
            "Local, lidocaine 1%", "ACD-A 4411", CaseBuilder.Today.AddMonths(6), Operator, null);

    public static ProductReceipt Receipt(DateTimeOffset? at = null, DateOnly? expiry = null) =>
        new("Example Cord Bank", "UC-LOT-7781", expiry ?? CaseBuilder.Today.AddMonths(3), "DER-2026-0042", Operator,
            at ?? Now.AddHours(-5), "LN2 dewar 2");

    public ProcessingRecord Processing(ReleaseDecision release = ReleaseDecision.Released, string verifier = Verifier,
        DateOnly? kitExpiry = null, DateTimeOffset? useBy = null, DateTimeOffset? start = null) =>
        new("Density-gradient concentration", "Cell separator CS-200", "KIT-5521", kitExpiry ?? CaseBuilder.Today.AddMonths(2),
            start ?? Now.AddHours(-4), (start ?? Now.AddHours(-4)).AddMinutes(50), 4.0m, 1.2e9m, 93.5m, Operator, verifier, release,
            (start ?? Now.AddHours(-4)).AddMinutes(55), release == ReleaseDecision.Released ? useBy ?? Now.AddHours(4) : null);

    public InjectionEntry Injection(string? code = null, KneeSide? knee = null, bool ultrasound = true, DateTimeOffset? at = null,
        decimal volume = 3.5m, bool discharge = true) =>
        new(code ?? Product!.ProductCode, knee ?? Case.Knee, ultrasound, volume, "Superolateral", CaseBuilder.Clinician,
            at ?? Now.AddHours(-2), null, discharge);

    public RuleViolation? Obtain(DateTimeOffset? at = null)
    {
        var (product, violation) = Case.CellSource.IsAutologous()
            ? Pathway.RecordHarvest(Case, Consents, Harvest(at), Now)
            : Pathway.RecordReceipt(Case, Consents, Receipt(at), Now);
        Product = product ?? Product;
        return violation;
    }

    public RuleViolation? Process(ProcessingRecord? record = null) =>
        Pathway.RecordProcessing(Case, Product, Consents, record ?? Processing(), Now);

    public RuleViolation? Inject(InjectionEntry? entry = null, DateTimeOffset? now = null)
    {
        var (_, visits, violation) = Pathway.RecordInjection(Case, Product, Consents, entry ?? Injection(), FollowUpSchedule.Default,
            TimeZoneInfo.Utc, now ?? Now);
        if (violation is null) Visits = visits;
        return violation;
    }

    /// <summary>Signed, obtained, processed and released: ready for the injection.</summary>
    public PathwayCase Released()
    {
        Sign(Now.AddDays(-2));
        Assert.Null(Obtain());
        Assert.Null(Process());
        return this;
    }
}
