namespace KneeClinic.Core.Consent;

/// <summary>
/// What judging a case's consents needs from outside the case: the template versions its forms were printed on,
/// with every other version of those templates (a later one may ask for re-consent), and how many days a signature
/// stays valid for a procedure.
/// </summary>
public sealed class ConsentTerms(IEnumerable<ConsentTemplateVersion> versions, int validityDays = ConsentRules.DefaultValidityDays)
{
    private readonly Dictionary<Guid, ConsentTemplateVersion> _versions = versions.DistinctBy(v => v.Id).ToDictionary(v => v.Id);

    public int ValidityDays => validityDays;

    /// <summary>Whether a signature given at <paramref name="signedAt"/> on <paramref name="versionId"/> covers a procedure at <paramref name="at"/>.</summary>
    public RuleViolation? Covers(Guid versionId, DateTimeOffset signedAt, DateTimeOffset at)
    {
        var version = _versions[versionId];
        return ConsentDocument.SignatureCovers(signedAt, at, version, OfTemplate(version), validityDays);
    }

    /// <summary>Whether <paramref name="document"/>, on its own, allows a procedure at <paramref name="at"/>, and until when.</summary>
    public ConsentStanding Standing(ConsentDocument document, DateTimeOffset at)
    {
        var version = _versions[document.TemplateVersionId];
        return document.StandingAt(at, version, OfTemplate(version), validityDays);
    }

    internal RuleViolation? Valid(ConsentDocument document, DateTimeOffset at)
    {
        var version = _versions[document.TemplateVersionId];
        return document.ValidFor(at, version, OfTemplate(version), validityDays);
    }

    private IEnumerable<ConsentTemplateVersion> OfTemplate(ConsentTemplateVersion version) =>
        _versions.Values.Where(v => v.TemplateId == version.TemplateId);
}

/// <summary>
/// The consent forms of one case, judged for a procedure. The most recent signature decides: a patient who
/// withdrew and later signed a new form is covered by the new one; a withdrawal of the latest consent stops
/// everything after it.
/// </summary>
internal sealed class CaseConsents(IEnumerable<ConsentDocument> documents, ConsentTerms terms)
{
    private readonly List<ConsentDocument> _signed = [.. documents.Where(d => d.Signature is not null).OrderBy(d => d.Signature!.SignedAt)];

    /// <summary>Null when a consent covers a procedure at <paramref name="at"/>; otherwise why not.</summary>
    public RuleViolation? ValidAt(DateTimeOffset at) => Latest(at) is { } latest
        ? terms.Valid(latest, at)
        : _signed.Count > 0 ? ConsentRules.SignedAfterProcedure : ConsentRules.ConsentMissing;

    /// <summary>Null unless the latest consent signed by <paramref name="at"/> had been withdrawn by then.</summary>
    public RuleViolation? WithdrawnBy(DateTimeOffset at) =>
        Latest(at) is { Status: ConsentStatus.Withdrawn, WithdrawnAt: { } withdrawn } && withdrawn <= at ? ConsentRules.ConsentWithdrawn : null;

    private ConsentDocument? Latest(DateTimeOffset at) => _signed.LastOrDefault(d => d.Signature!.SignedAt <= at);
}
