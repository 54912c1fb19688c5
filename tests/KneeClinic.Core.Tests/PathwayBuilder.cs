using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using Microsoft.Extensions.Time.Testing;

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
        Version = Template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, false, "body", Now.AddDays(-60));
        Assert.Null(Template.Publish(Version.Id, Now.AddDays(-59)));
    }

    public Case Case { get; }
    public ConsentTemplate Template { get; }
    public ConsentTemplateVersion Version { get; }
    public IReadOnlyList<ConsentDocument> Documents => Case.ConsentDocuments;

    /// <summary>The product obtained last, rejected or not.</summary>
    public CellProduct? Product => Case.Products.LastOrDefault();
    public IReadOnlyList<FollowUpVisit> Visits => Case.Visits;

    public ConsentTerms Terms => new(Template.Versions);

    /// <summary>The clinic's clock stopped at <paramref name="now"/>, in <paramref name="zone"/> (UTC unless given).</summary>
    public static ClinicClock Clock(DateTimeOffset? now = null, TimeZoneInfo? zone = null) =>
        new(new FakeTimeProvider(now ?? Now), zone ?? TimeZoneInfo.Utc);

    /// <summary>Prints a consent form on the current wording (half an hour before <paramref name="printedBefore"/>) and keeps it with the case.</summary>
    public ConsentDocument Print(DateTimeOffset printedBefore)
    {
        var document = new ConsentDocument(Case.Id, (Template.Current(ConsentLanguage.Of("en")) ?? Version).Id, DocumentNumber.New(printedBefore), [1], new string('a', 64),
            CaseBuilder.Clinician, printedBefore.AddMinutes(-30));
        Assert.Null(Case.AddConsent(document));
        return document;
    }

    public static ConsentSignature Signature(DateTimeOffset signedAt) =>
        new(signedAt, CaseBuilder.Clinician, null, null, null, true, "scan.pdf", "application/pdf", new string('b', 64), signedAt);

    /// <summary>Prints and signs a consent at <paramref name="signedAt"/> and moves the case to Consented.</summary>
    public ConsentDocument Sign(DateTimeOffset signedAt)
    {
        var document = Print(signedAt);
        Assert.Null(Case.RecordSignature(document.Id, Signature(signedAt), Terms, signedAt));
        return document;
    }

    public RuleViolation? Withdraw(ConsentDocument document, DateTimeOffset at, DateTimeOffset? now = null) =>
        Case.WithdrawConsent(document.Id, at, "changed mind", CaseBuilder.Clinician, now ?? Now);

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

    public RuleViolation? Obtain(DateTimeOffset? at = null) => Case.CellSource.IsAutologous()
        ? Case.RecordHarvest(Harvest(at), Terms, Clock())
        : Case.RecordReceipt(Receipt(at), Terms, Clock());

    public RuleViolation? Process(ProcessingRecord? record = null, TimeZoneInfo? zone = null) =>
        Case.RecordProcessing(record ?? Processing(), Terms, Clock(zone: zone));

    /// <summary>The time-out five minutes before the injection with the entry's code and knee, then the injection.</summary>
    public RuleViolation? Inject(InjectionEntry? entry = null, DateTimeOffset? now = null, TimeZoneInfo? zone = null)
    {
        entry ??= Injection();
        return TimeOut(entry.ProductCode, entry.Knee, entry.PerformedAt.AddMinutes(-5), zone)
            ?? Case.RecordInjection(entry, Terms, FollowUpSchedule.Default, Clock(now, zone));
    }

    public RuleViolation? TimeOut(string? code = null, KneeSide? knee = null, DateTimeOffset? at = null, TimeZoneInfo? zone = null,
        bool nameAndBirthDate = true, bool recordNumber = true) =>
        Case.ConfirmTimeOut(new TimeOutCheck(code ?? Product!.ProductCode, knee ?? Case.Knee, nameAndBirthDate, recordNumber, CaseBuilder.Clinician),
            Terms, Clock(at ?? Now.AddHours(-2).AddMinutes(-5), zone));

    public RuleViolation? Visit(int index, DateTimeOffset visitedAt, int pain = 3, KoosAnswers? koos = null, DateTimeOffset? now = null) =>
        Case.RecordVisit(Visits[index].Id, new VisitEntry(visitedAt, CaseBuilder.Clinician, pain, koos, null, null), Terms, Clock(now ?? visitedAt));

    /// <summary>Signed, obtained, processed and released: ready for the injection.</summary>
    public PathwayCase Released()
    {
        Sign(Now.AddDays(-2));
        Assert.Null(Obtain());
        Assert.Null(Process());
        return this;
    }
}
