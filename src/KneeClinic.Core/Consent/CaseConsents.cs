namespace KneeClinic.Core.Consent;

/// <summary>
/// The consent forms of one case, judged for a procedure. The most recent signature decides: a patient who
/// withdrew and later signed a new form is covered by the new one; a withdrawal of the latest consent stops
/// everything after it.
/// </summary>
public sealed class CaseConsents(IEnumerable<ConsentDocument> documents, IEnumerable<ConsentTemplateVersion> versions,
    int validityDays = ConsentRules.DefaultValidityDays)
{
    private readonly List<ConsentDocument> _signed = [.. documents.Where(d => d.Signature is not null).OrderBy(d => d.Signature!.SignedAt)];
    private readonly Dictionary<Guid, ConsentTemplateVersion> _versions = versions.ToDictionary(v => v.Id);

    /// <summary>Null when a consent covers a procedure at <paramref name="at"/>; otherwise why not.</summary>
    public RuleViolation? ValidAt(DateTimeOffset at)
    {
        if (Latest(at) is not { } latest) return _signed.Count > 0 ? ConsentRules.SignedAfterProcedure : ConsentRules.ConsentMissing;
        var version = _versions[latest.TemplateVersionId];
        var ofTemplate = _versions.Values.Where(v => v.TemplateId == version.TemplateId);
        return latest.ValidFor(at, version, ofTemplate, validityDays);
    }

    /// <summary>Null unless the latest consent signed by <paramref name="at"/> had been withdrawn by then.</summary>
    public RuleViolation? WithdrawnBy(DateTimeOffset at) =>
        Latest(at) is { Status: ConsentStatus.Withdrawn, WithdrawnAt: { } withdrawn } && withdrawn <= at ? ConsentRules.ConsentWithdrawn : null;

    private ConsentDocument? Latest(DateTimeOffset at) => _signed.LastOrDefault(d => d.Signature!.SignedAt <= at);
}
