using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Web.Features.Cases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The versions a form was read at. The case's version catches any concurrent step on the case; a form about one
/// record of the case (a consent form, an adverse event) also carries that record's version.
/// </summary>
public readonly record struct ReadAt(Guid? CaseVersion, Guid? RecordId = null, Guid? RecordVersion = null)
{
    public static implicit operator ReadAt(Guid caseVersion) => new(caseVersion);
}

/// <summary>
/// The one way a case changes: load the case file (the case with its consents, products, injection, visits and
/// adverse events), run one step on it, save with the version check; on a broken rule or a conflict, show the same
/// page again with what was typed and the message. Every step counts as a change to the case, so two people
/// recording steps on one case at once cannot both win.
/// </summary>
public sealed class CaseWrites(ClinicDbContext db, IOptions<ClinicOptions> options)
{
    /// <summary>The case file, tracked, so a step can change it and its records.</summary>
    public Task<Case?> LoadAsync(Guid caseId) => db.Cases
        .Include(c => c.ConsentDocuments).Include(c => c.Products).Include(c => c.Injection)
        .Include(c => c.Visits).Include(c => c.AdverseEvents)
        .AsSplitQuery()
        .FirstOrDefaultAsync(c => c.Id == caseId);

    /// <summary>The template versions the case's consents were printed on, with the other versions of those templates.</summary>
    public async Task<ConsentTerms> TermsAsync(Case @case)
    {
        var printedOn = @case.ConsentDocuments.Select(d => d.TemplateVersionId).Distinct().ToList();
        var versions = printedOn.Count == 0 ? [] : await db.ConsentTemplateVersions.AsNoTracking()
            .Where(v => db.ConsentTemplateVersions.Any(x => printedOn.Contains(x.Id) && x.TemplateId == v.TemplateId))
            .ToListAsync();
        return new ConsentTerms(versions, options.Value.ConsentValidityDays);
    }

    public Task<IActionResult> RunAsync(Controller page, Guid caseId, ReadAt readAt, Func<Case, ConsentTerms, RuleViolation?> step,
        string done, CaseStep? then, Func<Task<IActionResult>> showAgain) =>
        RunAsync(page, caseId, readAt, (c, t) => Task.FromResult(step(c, t)), done, then, showAgain);

    public async Task<IActionResult> RunAsync(Controller page, Guid caseId, ReadAt readAt, Func<Case, ConsentTerms, Task<RuleViolation?>> step,
        string done, CaseStep? then, Func<Task<IActionResult>> showAgain)
    {
        // A form that failed its own checks changes nothing: the page comes back without the case file being read.
        if (!page.ModelState.IsValid)
            return await db.Cases.AnyAsync(c => c.Id == caseId) ? await showAgain() : page.NotFound();

        var @case = await LoadAsync(caseId);
        if (@case is null) return page.NotFound();

        if (readAt.CaseVersion is { } version) db.Entry(@case).Property(c => c.Version).OriginalValue = version;
        if (readAt is { RecordId: { } recordId, RecordVersion: { } recordVersion }
            && db.ChangeTracker.Entries<Aggregate>().FirstOrDefault(e => e.Entity.Id == recordId) is { } record)
            record.Property(r => r.Version).OriginalValue = recordVersion;

        if (await step(@case, await TermsAsync(@case)) is { } violation)
        {
            page.ModelState.AddModelError("", violation.Message);
        }
        else
        {
            db.Entry(@case).Property(c => c.Version).IsModified = true;
            if (await db.SavedAsync(page.ModelState))
            {
                page.TempData["Message"] = done;
                return page.RedirectToAction(then?.Action() ?? "Details", "Cases", new { id = caseId });
            }
        }

        db.ChangeTracker.Clear();
        return await showAgain();
    }
}
