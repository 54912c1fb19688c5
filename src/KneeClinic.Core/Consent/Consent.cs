using KneeClinic.Core.Cases;

namespace KneeClinic.Core.Consent;

public enum TemplateVersionStatus
{
    Draft,
    Published,
    Retired,
}

public enum ConsentStatus
{
    Generated,
    Signed,
    Withdrawn,
    Voided,
}

/// <summary>A consent form for one cell source; its wording lives in numbered versions.</summary>
public sealed class ConsentTemplate : Aggregate
{
    private readonly List<ConsentTemplateVersion> _versions = [];

    private ConsentTemplate() { }

    public ConsentTemplate(string code, string title, CellSource cellSource)
    {
        Code = code;
        Title = title;
        CellSource = cellSource;
    }

    public string Code { get; private set; } = "";
    public string Title { get; private set; } = "";
    public CellSource CellSource { get; private set; }
    public IReadOnlyList<ConsentTemplateVersion> Versions => _versions;

    public ConsentTemplateVersion AddDraft(int version, string language, DateOnly effectiveDate, bool requiresReconsent, string body, DateTimeOffset at)
    {
        var draft = new ConsentTemplateVersion(Id, version, language, effectiveDate, requiresReconsent, body, at);
        _versions.Add(draft);
        return draft;
    }
}

/// <summary>One version of a template in one language. Once published its wording never changes.</summary>
public sealed class ConsentTemplateVersion
{
    private ConsentTemplateVersion() { }

    internal ConsentTemplateVersion(Guid templateId, int version, string language, DateOnly effectiveDate,
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

    /// <summary>BCP 47 language tag, e.g. "en" or "es".</summary>
    public string Language { get; private set; } = "en";
    public DateOnly EffectiveDate { get; private set; }

    /// <summary>Publishing this version makes consents signed on earlier versions invalid for procedures.</summary>
    public bool RequiresReconsent { get; private set; }
    public string Body { get; private set; } = "";
    public TemplateVersionStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }
}

/// <summary>
/// A consent form generated for a case: the exact bytes handed to the patient, the signature
/// record once signed, and what happened to it afterwards.
/// </summary>
public sealed class ConsentDocument : Aggregate
{
    private ConsentDocument() { }

    public ConsentDocument(Guid caseId, Guid templateVersionId, string documentNumber, byte[] content, string sha256,
        string generatedById, DateTimeOffset generatedAt)
    {
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
    public string DocumentNumber { get; private set; } = "";
    public byte[] Content { get; private set; } = [];
    public string Sha256 { get; private set; } = "";
    public ConsentStatus Status { get; private set; }
    public string GeneratedById { get; private set; } = "";
    public DateTimeOffset GeneratedAt { get; private set; }

    public ConsentSignature? Signature { get; private set; }

    public DateTimeOffset? WithdrawnAt { get; private set; }
    public string? WithdrawalReason { get; private set; }
    public string? WithdrawnById { get; private set; }

    public DateTimeOffset? VoidedAt { get; private set; }
    public string? VoidReason { get; private set; }
    public string? VoidedById { get; private set; }
}

/// <summary>The record of a patient's signature on paper, and the scan the clinic keeps of it.</summary>
public sealed class ConsentSignature
{
    private ConsentSignature() { }

    public ConsentSignature(DateTimeOffset signedAt, string obtainedById, string? witnessName, string? interpreterName,
        string? interpreterLanguage, bool teachBackConfirmed, string scanFileName, string scanContentType, string scanSha256,
        DateTimeOffset recordedAt)
    {
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
    public string? WitnessName { get; private set; }
    public string? InterpreterName { get; private set; }
    public string? InterpreterLanguage { get; private set; }
    public bool TeachBackConfirmed { get; private set; }

    /// <summary>Server-chosen storage name of the scanned signed paper.</summary>
    public string ScanFileName { get; private set; } = "";
    public string ScanContentType { get; private set; } = "";
    public string ScanSha256 { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }
}
