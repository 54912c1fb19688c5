using System.ComponentModel.DataAnnotations;
using KneeClinic.Core;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Documents.Consent;
using KneeClinic.Web.Features.Consents;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.ConsentTemplates;

/// <summary>Administrators look after the consent wording: versions, previews, drafts, publishing and retiring.</summary>
[Authorize(Policy = Startup.AdministrationPolicy)]
public sealed class ConsentTemplatesController(ClinicDbContext db, ConsentTemplateLibrary library, ConsentRenderer renderer,
    Microsoft.Extensions.Options.IOptions<ClinicOptions> options, ClinicClock clock) : Controller
{
    private ClinicOptions Clinic => options.Value;

    [HttpGet]
    public async Task<IActionResult> Index()
    {
        var templates = await db.ConsentTemplates.AsNoTracking().Include(t => t.Versions).OrderBy(t => t.Code).ToListAsync();
        var rows = templates.Select(t => new TemplateRow(t, t.Versions.OrderBy(v => v.Language).ThenByDescending(v => v.Version)
            .Select(v => new VersionRow(v, LevelOf(v, t.CellSource))).ToList())).ToList();
        ViewData["Basis"] = new BasisSummary(Clinic, Clinic.BasisProblem(clock.Today));
        return View(rows);
    }

    [HttpGet]
    public async Task<IActionResult> Preview(Guid id)
    {
        if (await db.ConsentTemplateVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id) is not { } version) return NotFound();
        var check = Check(version, await SourceOf(version));
        return View(new PreviewPage(version, check.Text, check.Problem, check.Level));
    }

    [HttpGet]
    public async Task<IActionResult> Pdf(Guid id)
    {
        if (await db.ConsentTemplateVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id) is not { } version) return NotFound();
        try
        {
            var rendered = renderer.Render(library.Parsed(version), Clinic.SampleRequest(clock.Now, version.Language.Tag, await SourceOf(version)));
            return File(rendered.Pdf, "application/pdf");
        }
        catch (Exception e) when (e is TemplateFormatException or MissingPlaceholderException)
        {
            TempData["Error"] = $"{Label(version)} cannot be shown as a PDF: {e.Message}";
            return RedirectToAction(nameof(Preview), new { id });
        }
    }

    [HttpPost]
    public async Task<IActionResult> NewDraft(Guid id, Guid version)
    {
        var template = await db.ConsentTemplates.Include(t => t.Versions).FirstOrDefaultAsync(t => t.Versions.Any(v => v.Id == id));
        if (template is null) return NotFound();
        db.Entry(template).Property(t => t.Version).OriginalValue = version;
        var from = template.Versions.Single(v => v.Id == id);
        var next = template.NextVersion(from.Language);
        var draft = template.NewDraft(from.Language, from.EffectiveDate, from.RequiresReconsent,
            ConsentTemplateText.WithVersion(from.Body, next), clock.Now);
        if (!await db.SavedAsync(ModelState))
        {
            // Another administrator changed this template meanwhile (or the same button was pressed twice).
            TempData["Error"] = Saves.ConflictMessage;
            return RedirectToAction(nameof(Index));
        }
        TempData["Message"] = $"Draft version {next} ({from.Language}) made from version {from.Version}.";
        return RedirectToAction(nameof(Edit), new { id = draft.Id });
    }

    [HttpGet]
    public async Task<IActionResult> Edit(Guid id) =>
        await db.ConsentTemplateVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id) is { } version
            ? View(new DraftForm
            {
                Id = version.Id,
                Body = version.Body,
                Label = Label(version),
                IsDraft = version.Status == TemplateVersionStatus.Draft,
                TemplateVersion = await db.ConsentTemplates.Where(t => t.Id == version.TemplateId).Select(t => t.Version).SingleAsync(),
            })
            : NotFound();

    [HttpPost]
    public async Task<IActionResult> Edit(DraftForm form)
    {
        var template = await db.ConsentTemplates.Include(t => t.Versions).FirstOrDefaultAsync(t => t.Versions.Any(v => v.Id == form.Id));
        if (template is null) return NotFound();
        var version = template.Versions.Single(v => v.Id == form.Id);
        form.Label = Label(version);
        form.IsDraft = version.Status == TemplateVersionStatus.Draft;
        if (!ModelState.IsValid) return View(form);

        ConsentTemplateText? text = null;
        try
        {
            text = ConsentTemplateText.Parse(form.Body);
        }
        catch (Exception e) when (e is TemplateFormatException or MissingPlaceholderException)
        {
            ModelState.AddModelError(nameof(form.Body), e.Message);
        }
        if (text is not null && (text.Header.Code != template.Code || text.Header.Version != version.Version || ConsentLanguage.From(text.Header.Language) != version.Language))
            ModelState.AddModelError(nameof(form.Body),
                $"The header must say code: {template.Code}, version: {version.Version}, language: {version.Language}.");
        if (!ModelState.IsValid) return View(form);

        db.Entry(template).Property(t => t.Version).OriginalValue = form.TemplateVersion;
        if (version.EditDraft(form.Body, text!.Header.EffectiveDate, text.Header.RequiresReconsent) is { } violation)
        {
            ModelState.AddModelError("", violation.Message);
            return View(form);
        }
        if (!await db.SavedAsync(ModelState)) return View(form);
        TempData["Message"] = $"{form.Label} saved.";
        return RedirectToAction(nameof(Index));
    }

    /// <summary>
    /// What publishing a draft would put in front of patients: its wording, with the words changed since the version before
    /// it in the same language marked, and the form that publishes it.
    /// </summary>
    [HttpGet]
    public async Task<IActionResult> Publish(Guid id)
    {
        var template = await db.ConsentTemplates.AsNoTracking().Include(t => t.Versions).FirstOrDefaultAsync(t => t.Versions.Any(v => v.Id == id));
        if (template is null) return NotFound();
        var draft = template.Versions.Single(v => v.Id == id);
        if (draft.Status != TemplateVersionStatus.Draft)
        {
            TempData["Error"] = $"{Label(draft)} is not a draft: {TemplateRules.NotADraft.Message}";
            return RedirectToAction(nameof(Index));
        }
        var previous = template.Versions.Where(v => v.Language == draft.Language && v.Status != TemplateVersionStatus.Draft && v.Version < draft.Version)
            .MaxBy(v => v.Version);
        var check = Check(draft, template.CellSource);
        return View(new PublishPage(draft, template.Version, $"{template.Title}: {Label(draft)}", previous,
            previous is null ? null : WordingDiff.Between(previous.Body, draft.Body), check.Problem,
            check.Level, check.Problem is null && check.NeedsReason));
    }

    /// <summary>
    /// Only wording that renders with every placeholder filled under the clinic's settings may reach a patient; wording
    /// above its reading target needs the administrator's reason, kept on the version.
    /// </summary>
    [HttpPost]
    public Task<IActionResult> Publish(Guid id, Guid version, [StringLength(1000)] string? readingLevelReason) => ChangeAsync(id, version, (t, v) =>
        Check(v, t.CellSource) is var check && check.Problem is { } problem
            ? new RuleViolation("DoesNotRender", $"{Label(v)} cannot be published: {problem}")
            : !ModelState.IsValid ? new RuleViolation("ReasonTooLong", "Keep the reason to 1,000 characters.")
            : t.Publish(v.Id, clock.Now, !check.NeedsReason, readingLevelReason) is { } violation
                ? new RuleViolation(violation.Code, $"{Label(v)} ({check.Level!.Summary}): {violation.Message}")
                : null, "published");

    /// <summary>
    /// Retiring the last version in use in a language stops that language being offered for the form: the first post is
    /// answered with a page that says so, and only a post with the box ticked retires it.
    /// </summary>
    [HttpPost]
    public Task<IActionResult> Retire(Guid id, Guid version, bool languageEndConfirmed = false) =>
        ChangeAsync(id, version, (t, v) => t.Retire(v.Id, clock.Now, languageEndConfirmed), "retired");

    private async Task<IActionResult> ChangeAsync(Guid id, Guid templateVersion, Func<ConsentTemplate, ConsentTemplateVersion, RuleViolation?> change, string done)
    {
        var template = await db.ConsentTemplates.Include(t => t.Versions).FirstOrDefaultAsync(t => t.Versions.Any(v => v.Id == id));
        if (template is null) return NotFound();
        db.Entry(template).Property(t => t.Version).OriginalValue = templateVersion;
        var version = template.Versions.Single(v => v.Id == id);
        if (change(template, version) is { } violation)
        {
            if (violation.Code == nameof(TemplateRules.LastOfLanguage))
            {
                ModelState.AddModelError("", violation.Message);
                return View("ConfirmRetire", new RetireConfirmation(version.Id, templateVersion, $"{template.Title}: {Label(version)}"));
            }
            TempData["Error"] = violation.Message;
            return RedirectToAction(nameof(Index));
        }
        if (!await db.SavedAsync(ModelState))
        {
            // Another administrator changed this template meanwhile (or the same button was pressed twice).
            TempData["Error"] = Saves.ConflictMessage;
            return RedirectToAction(nameof(Index));
        }
        TempData["Message"] = $"{Label(version)} {done}." + (version.Status == TemplateVersionStatus.Published && version.RequiresReconsent
            ? " Consents signed on earlier versions of this form no longer allow procedures: those patients must consent again." : "");
        return RedirectToAction(nameof(Index));
    }

    private Task<Core.Cases.CellSource?> SourceOf(ConsentTemplateVersion version) =>
        db.ConsentTemplates.Where(t => t.Id == version.TemplateId).Select(t => t.CellSource).SingleAsync();

    private WordingCheck Check(ConsentTemplateVersion version, Core.Cases.CellSource? source)
    {
        try
        {
            return library.Check(library.Parsed(version), source, clock.Now);
        }
        catch (TemplateFormatException e)
        {
            return new WordingCheck(null, e.Message, null);
        }
    }

    private ReadingLevelResult? LevelOf(ConsentTemplateVersion version, Core.Cases.CellSource? source)
    {
        try
        {
            return library.LevelOf(version, source, clock.Now);
        }
        catch (TemplateFormatException)
        {
            return null;
        }
    }

    private static string Label(ConsentTemplateVersion v) => $"Version {v.Version} ({v.Language})";
}

/// <summary>What the templates page says about the clinic's regulatory basis, and why forms cannot be made if they cannot.</summary>
public sealed record BasisSummary(ClinicOptions Clinic, string? Problem);

public sealed record TemplateRow(ConsentTemplate Template, IReadOnlyList<VersionRow> Versions);

public sealed record VersionRow(ConsentTemplateVersion Version, ReadingLevelResult? Level);

/// <summary>The page before publishing: the draft's wording compared with <paramref name="Previous"/> (none for a first version).</summary>
public sealed record PublishPage(ConsentTemplateVersion Draft, Guid TemplateVersion, string Label, ConsentTemplateVersion? Previous,
    IReadOnlyList<WordingPart>? Changes, string? Problem, ReadingLevelResult? Level, bool NeedsReason);

/// <summary>The page that asks before the last version in use in a language is retired.</summary>
public sealed record RetireConfirmation(Guid Id, Guid TemplateVersion, string Label);

public sealed record PreviewPage(ConsentTemplateVersion Version, ResolvedConsentText? Text, string? Error, ReadingLevelResult? Level);

public sealed class DraftForm
{
    public Guid Id { get; set; }

    [Required, StringLength(200_000), Display(Name = "Template text")]
    public string Body { get; set; } = "";

    /// <summary>The template's version when the draft was opened, so a concurrent publish is caught.</summary>
    public Guid TemplateVersion { get; set; }

    public string Label { get; set; } = "";
    public bool IsDraft { get; set; }
}
