using System.Security.Cryptography;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Consents;

public sealed record ConsentRow(Guid Id, string DocumentNumber, ConsentStatus Status, string Template, int TemplateVersion, ConsentLanguage Language,
    DateTimeOffset GeneratedAt, DateTimeOffset? SignedAt, string? WithdrawalReason, string? VoidReason, Guid Version, bool HasScan,
    ConsentRoute Route = ConsentRoute.FullForm, ConsentLanguage? ShortFormLanguage = null, string? Representative = null, bool LargePrint = false,
    bool HasAccessibleHtml = false);

public static class ConsentRows
{
    public static async Task<List<ConsentRow>> ForCaseAsync(ClinicDbContext db, Guid caseId)
    {
        // A case has a handful of consent forms: read them (without their PDF bytes) with their template versions' code,
        // version and language in one statement (the joins follow required keys).
        var documents = await db.ConsentDocuments.AsNoTracking().Where(d => d.CaseId == caseId)
            .Join(db.ConsentTemplateVersions, d => d.TemplateVersionId, v => v.Id, (d, v) => new { d, v })
            .Join(db.ConsentTemplates, x => x.v.TemplateId, t => t.Id, (x, t) => new
            {
                x.d.Id,
                x.d.DocumentNumber,
                x.d.Status,
                t.Code,
                x.v.Version,
                x.v.Language,
                x.d.GeneratedAt,
                x.d.Signature,
                x.d.WithdrawalReason,
                x.d.VoidReason,
                RowVersion = x.d.Version,
                x.d.Route,
                x.d.ShortFormLanguage,
                x.d.LargePrint,
                HasHtml = x.d.AccessibleHtml != null
            })
            .ToListAsync();
        return documents
            .Select(d => new ConsentRow(d.Id, d.DocumentNumber, d.Status, d.Code, d.Version,
                d.Language, d.GeneratedAt, d.Signature?.SignedAt, d.WithdrawalReason, d.VoidReason, d.RowVersion, d.Signature is not null,
                d.Route, d.ShortFormLanguage, d.Signature?.RepresentativeName is { Length: > 0 } name
                    ? $"{name} ({d.Signature.RepresentativeRelationship}; {d.Signature.RepresentativeAuthority})" : null, d.LargePrint, d.HasHtml))
            .OrderByDescending(r => r.GeneratedAt)
            .ToList();
    }
}

public sealed class SignPage
{
    public required ConsentRow Consent { get; init; }
    public required string PatientName { get; init; }
    public required Guid CaseId { get; init; }
    public required Guid PatientId { get; init; }
    public SignatureForm Form { get; set; } = new();

    public static async Task<SignPage?> LoadAsync(ClinicDbContext db, Guid id, ClinicOptions clinic)
    {
        var caseId = await db.ConsentDocuments.Where(d => d.Id == id).Select(d => (Guid?)d.CaseId).FirstOrDefaultAsync();
        if (caseId is null) return null;
        var row = (await ConsentRows.ForCaseAsync(db, caseId.Value)).Single(r => r.Id == id);
        var patient = await db.Cases.Where(c => c.Id == caseId).Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new { p.Id, p.FamilyName, p.GivenName }).SingleAsync();
        return new SignPage { Consent = row, PatientName = Patient.ListName(patient.FamilyName, patient.GivenName), CaseId = caseId.Value, PatientId = patient.Id, Form = new SignatureForm { Version = row.Version } };
    }
}

/// <summary>
/// What the verification page shows: the record behind a document number, whether its stored bytes are intact, whether
/// it allows a procedure now, and the patient's initials and date of birth to match the paper (never the full name).
/// </summary>
public sealed record VerifyPage(VerifyForm Form, VerifyResult? Result, bool Searched = false)
{
    public static async Task<VerifyPage> FindAsync(ClinicDbContext db, string number, int validityDays, DateTimeOffset now)
    {
        var read = DocumentNumber.Read(number);
        var form = new VerifyForm { Number = read.Value };
        var document = await db.ConsentDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.DocumentNumber == read);
        if (document is null) return new VerifyPage(form, null, Searched: true);
        var templateId = await db.ConsentTemplateVersions.Where(v => v.Id == document.TemplateVersionId).Select(v => v.TemplateId).SingleAsync();
        var versions = await db.ConsentTemplateVersions.AsNoTracking().Where(v => v.TemplateId == templateId).ToListAsync();
        var version = versions.Single(v => v.Id == document.TemplateVersionId);
        var code = await db.ConsentTemplates.Where(t => t.Id == templateId).Select(t => t.Code).SingleAsync();
        var patient = await db.Cases.Where(c => c.Id == document.CaseId)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new { p.Id, p.FamilyName, p.GivenName, p.DateOfBirth }).SingleAsync();
        var intact = Convert.ToHexStringLower(SHA256.HashData(document.Content)) == document.Sha256;
        return new VerifyPage(form, new VerifyResult(document.DocumentNumber, document.Status, code, version.Version, version.Language,
            document.GeneratedAt, document.Signature?.SignedAt, document.Sha256, document.ContentHash, intact, document.CaseId, document.Id,
            new ConsentTerms(versions, validityDays).Standing(document, now), Patient.Initials(patient.FamilyName, patient.GivenName),
            patient.DateOfBirth, patient.Id), true);
    }
}

public sealed record VerifyResult(string DocumentNumber, ConsentStatus Status, string Template, int TemplateVersion, ConsentLanguage Language,
    DateTimeOffset GeneratedAt, DateTimeOffset? SignedAt, string Sha256, string ContentHash, bool BytesMatch, Guid CaseId, Guid DocumentId,
    ConsentStanding Standing, string PatientInitials, DateOnly DateOfBirth, Guid PatientId);
