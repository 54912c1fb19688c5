using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Procedures;

/// <summary>A case with the records the pathway gates judge it by: its products, consents and follow-up visits.</summary>
public sealed class CaseFile
{
    public required Case Case { get; init; }
    public required IReadOnlyList<CellProduct> Products { get; init; }
    public required CaseConsents Consents { get; init; }
    public required IReadOnlyList<FollowUpVisit> Visits { get; init; }

    /// <summary>The product the case is working with: the latest one obtained; a rejected one stays on record but is not current.</summary>
    public CellProduct? CurrentProduct => Current(Products);

    public static CellProduct? Current(IEnumerable<CellProduct> products) =>
        products.Where(p => !p.IsRejected).OrderBy(p => p.ObtainedAt).LastOrDefault();

    /// <summary>Loads the records of <paramref name="case"/> (already tracked), tracked too so a step can change them.</summary>
    public static async Task<CaseFile> LoadAsync(ClinicDbContext db, Case @case, int consentValidityDays)
    {
        var documents = await db.ConsentDocuments.AsNoTracking().Where(d => d.CaseId == @case.Id).ToListAsync();
        var versionIds = documents.Select(d => d.TemplateVersionId).Distinct().ToList();
        var versions = await db.ConsentTemplateVersions.AsNoTracking()
            .Where(v => db.ConsentTemplateVersions.Any(x => versionIds.Contains(x.Id) && x.TemplateId == v.TemplateId))
            .ToListAsync();
        return new CaseFile
        {
            Case = @case,
            Products = await db.CellProducts.Where(p => p.CaseId == @case.Id).ToListAsync(),
            Consents = new CaseConsents(documents, versions, consentValidityDays),
            Visits = await db.FollowUpVisits.Where(v => v.CaseId == @case.Id).OrderBy(v => v.DueOn).ToListAsync(),
        };
    }
}
