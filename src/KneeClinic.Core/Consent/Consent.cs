using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;

namespace KneeClinic.Core.Consent;

public enum TemplateVersionStatus
{
    Draft,
    Published,
    Retired,
}

/// <summary>What a template is: a consent form for one cell source, or the short form of 21 CFR 50.27(b)(2).</summary>
public enum TemplateKind
{
    ConsentForm,
    ShortForm,
}

/// <summary>
/// How consent was obtained: the patient read (or was read) the full written form, or the form's elements were
/// presented orally in the patient's language, the patient signed a short form in that language, and the full
/// form served as the written summary that the witness and the person obtaining consent sign (21 CFR 50.27(b)(2)).
/// </summary>
public enum ConsentRoute
{
    FullForm,
    ShortForm,
}

public enum ConsentStatus
{
    Generated,
    Signed,
    Withdrawn,
    Voided,
}

/// <summary>
/// A consent form for one cell source, or the short form (one for every cell source); its wording lives in numbered
/// versions, one language each.
/// </summary>
public sealed class ConsentTemplate : Aggregate
{
    private readonly List<ConsentTemplateVersion> _versions = [];

    private ConsentTemplate() { }

    public ConsentTemplate(string code, string title, CellSource cellSource)
    {
        Code = code;
        Title = title;
        CellSource = cellSource;
        Kind = TemplateKind.ConsentForm;
    }

    /// <summary>The short form: in the patient's language, it states that the consent form's elements were presented orally.</summary>
    public static ConsentTemplate ShortForm(string code, string title) => new() { Code = code, Title = title, Kind = TemplateKind.ShortForm };

    public string Code { get; private set; } = "";
    public string Title { get; private set; } = "";
    public TemplateKind Kind { get; private set; }

    /// <summary>The cell source of a consent form; none for the short form.</summary>
    public CellSource? CellSource { get; private set; }
    public IReadOnlyList<ConsentTemplateVersion> Versions => _versions;

    public ConsentTemplateVersion AddDraft(int version, ConsentLanguage language, DateOnly effectiveDate, bool requiresReconsent, string body, DateTimeOffset at)
    {
        var draft = new ConsentTemplateVersion(Id, version, language, effectiveDate, requiresReconsent, body, at);
        _versions.Add(draft);
        return draft;
    }

    /// <summary>A new draft in <paramref name="language"/>, numbered after the newest version in that language.</summary>
    public ConsentTemplateVersion NewDraft(ConsentLanguage language, DateOnly effectiveDate, bool requiresReconsent, string body, DateTimeOffset at) =>
        AddDraft(NextVersion(language), language, effectiveDate, requiresReconsent, body, at);

    public int NextVersion(ConsentLanguage language) =>
        _versions.Where(v => v.Language == language).Select(v => v.Version).DefaultIfEmpty(0).Max() + 1;

    /// <summary>
    /// The version new consents use: the newest published one in the language, unless a later version
    /// (even one since retired) asked for re-consent: wording that was superseded never comes back.
    /// </summary>
    public ConsentTemplateVersion? Current(ConsentLanguage language) => _versions
        .Where(v => v.Language == language && v.Status == TemplateVersionStatus.Published && !_versions.Any(w => w.Supersedes(v)))
        .MaxBy(v => v.Version);

    /// <summary>
    /// Publishes a draft. Wording that reads above its target level (grade 8 in English) is published only with the
    /// administrator's reason, which stays on the version.
    /// </summary>
    public RuleViolation? Publish(Guid versionId, DateTimeOffset at, bool meetsReadingTarget = true, string? readingLevelReason = null) =>
        _versions.FirstOrDefault(v => v.Id == versionId) is { } v ? v.Publish(at, meetsReadingTarget, readingLevelReason) : TemplateRules.VersionNotFound;

    /// <summary>
    /// Retires a published version. When it is the last one new consents could use in its language, retiring it stops
    /// that language from being offered for this form: that happens only when <paramref name="languageEndConfirmed"/>.
    /// </summary>
    public RuleViolation? Retire(Guid versionId, DateTimeOffset at, bool languageEndConfirmed = false)
    {
        if (_versions.FirstOrDefault(v => v.Id == versionId) is not { } version) return TemplateRules.VersionNotFound;
        if (!languageEndConfirmed && RetiringEndsLanguage(version)) return TemplateRules.LastOfLanguage(version.Language, CellSource);
        return version.Retire(at);
    }

    /// <summary>
    /// Whether retiring <paramref name="version"/> leaves its language with no version new consents can use: it is the
    /// one in use now, and no other published version in that language would take over (one superseded by a version
    /// that asked for re-consent never comes back, see <see cref="Current"/>).
    /// </summary>
    public bool RetiringEndsLanguage(ConsentTemplateVersion version) =>
        version.Status == TemplateVersionStatus.Published && Current(version.Language) == version
        && !_versions.Any(other => other != version && other.Language == version.Language
            && other.Status == TemplateVersionStatus.Published && !_versions.Any(w => w.Supersedes(other)));
}

/// <summary>One version of a template in one language. Once published its wording never changes.</summary>
public sealed class ConsentTemplateVersion : IAggregatePart
{
    Guid IAggregatePart.AggregateId => TemplateId;

    private ConsentTemplateVersion() { }

    internal ConsentTemplateVersion(Guid templateId, int version, ConsentLanguage language, DateOnly effectiveDate,
        bool requiresReconsent, string body, DateTimeOffset createdAt)
    {
        TemplateId = templateId;
        Version = version;
        Language = language;
        EffectiveDate = effectiveDate;
        RequiresReconsent = requiresReconsent;
        Body = body;
        CreatedAt = createdAt;
        Status = TemplateVersionStatus.Draft;
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid TemplateId { get; private set; }
    public int Version { get; private set; }

    public ConsentLanguage Language { get; private set; } = ConsentLanguage.English;
    public DateOnly EffectiveDate { get; private set; }

    /// <summary>Publishing this version makes consents signed on earlier versions invalid for procedures.</summary>
    public bool RequiresReconsent { get; private set; }
    public string Body { get; private set; } = "";
    public TemplateVersionStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>Why this version was published although it reads above its target level; null when it meets it.</summary>
    public string? ReadingLevelReason { get; private set; }

    /// <summary>Changes a draft's wording; a published or retired version never changes.</summary>
    public RuleViolation? EditDraft(string body, DateOnly effectiveDate, bool requiresReconsent)
    {
        if (Status != TemplateVersionStatus.Draft) return TemplateRules.NotADraft;
        Body = body;
        EffectiveDate = effectiveDate;
        RequiresReconsent = requiresReconsent;
        return null;
    }

    internal RuleViolation? Publish(DateTimeOffset at, bool meetsReadingTarget, string? readingLevelReason)
    {
        if (Status != TemplateVersionStatus.Draft) return TemplateRules.NotADraft;
        if (!meetsReadingTarget && string.IsNullOrWhiteSpace(readingLevelReason)) return TemplateRules.ReadingLevelReasonRequired;
        Status = TemplateVersionStatus.Published;
        PublishedAt = at;
        ReadingLevelReason = meetsReadingTarget ? null : readingLevelReason!.Trim();
        return null;
    }

    internal RuleViolation? Retire(DateTimeOffset at)
    {
        if (Status != TemplateVersionStatus.Published) return TemplateRules.RetireOnlyPublished;
        Status = TemplateVersionStatus.Retired;
        RetiredAt = at;
        return null;
    }

    /// <summary>Published later than <paramref name="signed"/>, for the same template and language, and asks for new consent.</summary>
    public bool Supersedes(ConsentTemplateVersion signed) =>
        RequiresReconsent && Status != TemplateVersionStatus.Draft && TemplateId == signed.TemplateId
        && Language == signed.Language && Version > signed.Version;
}

public static class TemplateRules
{
    public static readonly RuleViolation NotADraft = new(nameof(NotADraft),
        "A published version never changes. Make a new draft version instead.");
    public static readonly RuleViolation RetireOnlyPublished = new(nameof(RetireOnlyPublished), "Only a published version can be retired.");
    public static readonly RuleViolation VersionNotFound = new(nameof(VersionNotFound), "That version is not part of this template.");
    /// <summary>Retiring the last usable version of a language stops that language being offered; the administrator must confirm it.</summary>
    public static RuleViolation LastOfLanguage(ConsentLanguage language, CellSource? source) => new(nameof(LastOfLanguage),
        $"{language.Name} will no longer be offered for {(source is { } s ? Lower(s.DisplayName()) + " consent forms" : "short forms")}: " +
        $"this is the last version in use in {language.Name}, so clinicians will not be able to print one in it until another version is published.");

    private static string Lower(string title) => char.ToLowerInvariant(title[0]) + title[1..];

    public static readonly RuleViolation ReadingLevelReasonRequired = new(nameof(ReadingLevelReasonRequired),
        "This wording reads above its target level. Make it plainer, or give the reason it must be published as it is.");
}

/// <summary>
/// A consent form generated for a case: the exact bytes handed to the patient, the signature
/// record once signed, and what happened to it afterwards.
/// </summary>
public sealed class ConsentDocument : Aggregate
{
    private ConsentDocument() { }

    public ConsentDocument(Guid caseId, Guid templateVersionId, DocumentNumber documentNumber, byte[] content, string sha256,
        string generatedById, DateTimeOffset generatedAt, string contentHash = "", bool largePrint = false, string? accessibleHtml = null,
        ConsentLanguage? language = null)
    {
        Language = language ?? ConsentLanguage.English;
        LargePrint = largePrint;
        AccessibleHtml = accessibleHtml;
        ContentHash = contentHash;
        CaseId = caseId;
        TemplateVersionId = templateVersionId;
        DocumentNumber = documentNumber;
        Content = content;
        Sha256 = sha256;
        GeneratedById = generatedById;
        GeneratedAt = generatedAt;
        Status = ConsentStatus.Generated;
    }

    public Guid CaseId { get; private set; }
    public Guid TemplateVersionId { get; private set; }

    /// <summary>The language the form is printed in (its template version's).</summary>
    public ConsentLanguage Language { get; private set; }

    public DocumentNumber DocumentNumber { get; private set; }
    public byte[] Content { get; private set; } = [];
    public string Sha256 { get; private set; } = "";

    /// <summary>SHA-256 of the form's text and data; its first 16 characters are printed on every page.</summary>
    public string ContentHash { get; private set; } = "";

    /// <summary>Printed with body text at 14 pt.</summary>
    public bool LargePrint { get; private set; }

    /// <summary>The same form as an HTML page for screen-reader users, made with the PDF from the same data.</summary>
    [PatientData]
    public string? AccessibleHtml { get; private set; }

    public ConsentRoute Route { get; private set; }

    /// <summary>For the short-form route: the short form in the patient's language that goes with this written summary.</summary>
    public Guid? ShortFormVersionId { get; private set; }
    public ConsentLanguage? ShortFormLanguage { get; private set; }
    public byte[]? ShortFormContent { get; private set; }
    public string? ShortFormSha256 { get; private set; }

    public ConsentStatus Status { get; private set; }
    public string GeneratedById { get; private set; } = "";
    public DateTimeOffset GeneratedAt { get; private set; }

    public ConsentSignature? Signature { get; private set; }

    public DateTimeOffset? WithdrawnAt { get; private set; }
    [PatientData]
    public string? WithdrawalReason { get; private set; }
    public string? WithdrawnById { get; private set; }

    public DateTimeOffset? VoidedAt { get; private set; }
    [PatientData]
    public string? VoidReason { get; private set; }
    public string? VoidedById { get; private set; }

    /// <summary>
    /// Makes this form the written summary of a short-form consent: the patient signs the short form in their own
    /// language, printed with it; the witness and the person obtaining consent sign this summary.
    /// </summary>
    public RuleViolation? AttachShortForm(Guid shortFormVersionId, ConsentLanguage language, byte[] content, string sha256)
    {
        if (Status != ConsentStatus.Generated || Route == ConsentRoute.ShortForm) return ConsentRules.NotAwaitingSignature;
        Route = ConsentRoute.ShortForm;
        ShortFormVersionId = shortFormVersionId;
        ShortFormLanguage = language;
        ShortFormContent = content;
        ShortFormSha256 = sha256;
        return null;
    }

    /// <summary>Whether <paramref name="signature"/> could be recorded on this form; changes nothing.</summary>
    internal RuleViolation? CheckSignature(ConsentSignature signature, DateTimeOffset now)
    {
        if (Status != ConsentStatus.Generated) return ConsentRules.NotAwaitingSignature;
        if (signature.SignedAt > now) return ConsentRules.SignedInFuture;
        // Staff type the signing time to the minute, so a form signed in the minute it was printed is accepted.
        if (signature.SignedAt < GeneratedAt.AddTicks(-(GeneratedAt.Ticks % TimeSpan.TicksPerMinute))) return ConsentRules.SignedBeforeGenerated;
        if (!signature.TeachBackConfirmed) return ConsentRules.TeachBackRequired;
        if (signature.InterpreterName is not null && signature.InterpreterLanguage is null) return ConsentRules.InterpreterLanguageRequired;
        if (signature.InterpreterName is not null && signature.WitnessName is null) return ConsentRules.WitnessRequiredWithInterpreter;
        if (Route == ConsentRoute.ShortForm && signature.WitnessName is null) return ConsentRules.WitnessRequiredForShortForm;
        if (signature.RepresentativeName is not null && (string.IsNullOrWhiteSpace(signature.RepresentativeName)
                || string.IsNullOrWhiteSpace(signature.RepresentativeRelationship) || string.IsNullOrWhiteSpace(signature.RepresentativeAuthority)))
            return ConsentRules.RepresentativeDetailsRequired;
        if (string.IsNullOrEmpty(signature.ScanFileName)) return ConsentRules.ScanRequired;
        return null;
    }

    /// <summary>Records the patient's signature on the printed form. After this the record never changes, except by withdrawal.</summary>
    internal RuleViolation? RecordSignature(ConsentSignature signature, DateTimeOffset now)
    {
        if (CheckSignature(signature, now) is { } violation) return violation;
        Signature = signature;
        Status = ConsentStatus.Signed;
        return null;
    }

    internal RuleViolation? Withdraw(DateTimeOffset withdrawnAt, string reason, string byId, DateTimeOffset now)
    {
        if (Status != ConsentStatus.Signed) return ConsentRules.NotSigned;
        if (string.IsNullOrWhiteSpace(reason)) return ConsentRules.WithdrawalReasonRequired;
        if (withdrawnAt > now) return ConsentRules.WithdrawnInFuture;
        if (withdrawnAt < Signature!.SignedAt) return ConsentRules.WithdrawnBeforeSigned;
        Status = ConsentStatus.Withdrawn;
        WithdrawnAt = withdrawnAt;
        WithdrawalReason = reason.Trim();
        WithdrawnById = byId;
        return null;
    }

    internal RuleViolation? Void(string reason, string byId, DateTimeOffset now)
    {
        if (Status != ConsentStatus.Generated) return ConsentRules.NotVoidable;
        if (string.IsNullOrWhiteSpace(reason)) return ConsentRules.VoidReasonRequired;
        Status = ConsentStatus.Voided;
        VoidedAt = now;
        VoidReason = reason.Trim();
        VoidedById = byId;
        return null;
    }

    /// <summary>
    /// Whether this consent covers a procedure at <paramref name="procedureAt"/>: signed, not withdrawn, not
    /// superseded by a published version that asks for new consent, and signed at most
    /// <paramref name="validityDays"/> days before. The procedure gates call this; null means valid.
    /// </summary>
    public RuleViolation? ValidFor(DateTimeOffset procedureAt, ConsentTemplateVersion signedVersion,
        IEnumerable<ConsentTemplateVersion> versionsOfTemplate, int validityDays = ConsentRules.DefaultValidityDays)
    {
        if (Status == ConsentStatus.Withdrawn && WithdrawnAt <= procedureAt) return ConsentRules.ConsentWithdrawn;
        if (Signature is null || Status is ConsentStatus.Generated or ConsentStatus.Voided) return ConsentRules.ConsentMissing;
        return SignatureCovers(Signature.SignedAt, procedureAt, signedVersion, versionsOfTemplate, validityDays);
    }

    /// <summary>
    /// Whether this one form allows a procedure at <paramref name="at"/> and, if not, why; with the last moment its
    /// signature covers. The same rules as <see cref="ValidFor"/>, in words for the person holding the paper.
    /// </summary>
    public ConsentStanding StandingAt(DateTimeOffset at, ConsentTemplateVersion signedVersion,
        IEnumerable<ConsentTemplateVersion> versionsOfTemplate, int validityDays = ConsentRules.DefaultValidityDays)
    {
        if (Status == ConsentStatus.Voided) return new(ConsentRules.FormVoided, null);
        if (Status == ConsentStatus.Generated || Signature is null) return new(ConsentRules.FormNotSignedYet, null);
        var until = ValidUntil(Signature.SignedAt, validityDays);
        if (Status == ConsentStatus.Withdrawn) return new(ConsentRules.ConsentWithdrawn, until);
        if (at > until) return new(ConsentRules.ConsentLapsed(validityDays), until);
        return new(SignatureCovers(Signature.SignedAt, at, signedVersion, versionsOfTemplate, validityDays), until);
    }

    /// <summary>The last moment a signature given at <paramref name="signedAt"/> covers a procedure.</summary>
    public static DateTimeOffset ValidUntil(DateTimeOffset signedAt, int validityDays) => signedAt.AddDays(validityDays);

    /// <summary>A signature at <paramref name="signedAt"/>: before the procedure, recent enough, and on wording not replaced since.</summary>
    internal static RuleViolation? SignatureCovers(DateTimeOffset signedAt, DateTimeOffset procedureAt, ConsentTemplateVersion signedVersion,
        IEnumerable<ConsentTemplateVersion> versionsOfTemplate, int validityDays)
    {
        if (signedAt > procedureAt) return ConsentRules.SignedAfterProcedure;
        if (procedureAt > ValidUntil(signedAt, validityDays)) return ConsentRules.ConsentExpired(validityDays);
        if (versionsOfTemplate.Any(v => v.Supersedes(signedVersion) && v.PublishedAt <= procedureAt)) return ConsentRules.ConsentSuperseded;
        return null;
    }
}

/// <summary>
/// How one consent form stands at a moment: <see cref="WhyNot"/> is null when it allows a procedure then; <see cref="ValidUntil"/> is
/// the last moment its signature covers by age alone (none before it is signed).
/// </summary>
public sealed record ConsentStanding(RuleViolation? WhyNot, DateTimeOffset? ValidUntil)
{
    public bool Valid => WhyNot is null;
}

/// <summary>The record of a patient's signature on paper, and the scan the clinic keeps of it.</summary>
public sealed class ConsentSignature
{
    private ConsentSignature() { }

    public ConsentSignature(DateTimeOffset signedAt, string obtainedById, string? witnessName, string? interpreterName,
        string? interpreterLanguage, bool teachBackConfirmed, string scanFileName, string scanContentType, string scanSha256,
        DateTimeOffset recordedAt, LegalRepresentative? representative = null)
    {
        RepresentativeName = representative?.Name;
        RepresentativeRelationship = representative?.Relationship;
        RepresentativeAuthority = representative?.Authority;
        SignedAt = signedAt;
        ObtainedById = obtainedById;
        WitnessName = witnessName;
        InterpreterName = interpreterName;
        InterpreterLanguage = interpreterLanguage;
        TeachBackConfirmed = teachBackConfirmed;
        ScanFileName = scanFileName;
        ScanContentType = scanContentType;
        ScanSha256 = scanSha256;
        RecordedAt = recordedAt;
    }

    public DateTimeOffset SignedAt { get; private set; }

    /// <summary>The clinician whose signature means "obtained consent".</summary>
    public string ObtainedById { get; private set; } = "";
    [PatientData]
    public string? WitnessName { get; private set; }
    [PatientData]
    public string? InterpreterName { get; private set; }
    public string? InterpreterLanguage { get; private set; }
    public bool TeachBackConfirmed { get; private set; }

    /// <summary>Who signed for a patient who cannot consent, their relationship to the patient and their legal authority.</summary>
    [PatientData]
    public string? RepresentativeName { get; private set; }
    [PatientData]
    public string? RepresentativeRelationship { get; private set; }
    [PatientData]
    public string? RepresentativeAuthority { get; private set; }

    /// <summary>Server-chosen storage name of the scanned signed paper.</summary>
    public string ScanFileName { get; private set; } = "";
    public string ScanContentType { get; private set; } = "";
    public string ScanSha256 { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }
}

/// <summary>A legally authorized representative who signs for a patient who cannot consent (21 CFR 50.3(l)).</summary>
public sealed record LegalRepresentative(string Name, string? Relationship, string? Authority);
