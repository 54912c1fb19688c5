using System.Collections.Concurrent;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Documents.Consent;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Consents;

/// <summary>
/// Imports the template files into the database at start, and keeps each version's parsed text, so a
/// consent is rendered without parsing Markdown and Liquid again.
/// </summary>
public sealed class ConsentTemplateLibrary(IOptions<ClinicOptions> options, IHostEnvironment environment, ILogger<ConsentTemplateLibrary> logger)
{
    private readonly ConcurrentDictionary<Guid, ConsentTemplateText> _parsed = new();

    /// <summary>The parsed text of a version; only published and retired wording, which never changes, is kept.</summary>
    public ConsentTemplateText Parsed(ConsentTemplateVersion version) => version.Status == TemplateVersionStatus.Draft
        ? ConsentTemplateText.Parse(version.Body)
        : _parsed.GetOrAdd(version.Id, _ => ConsentTemplateText.Parse(version.Body));

    public string Folder()
    {
        if (options.Value.TemplateDirectory is { Length: > 0 } configured)
            return Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured));
        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "templates", "consent");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"No templates/consent folder above {environment.ContentRootPath}; set Clinic:TemplateDirectory.");
    }

    /// <summary>
    /// Adds every template file whose code, version and language is not in the database yet, as a published
    /// version. A file that differs from its published version is reported and left out: published wording
    /// never changes, a new version number must be used.
    /// </summary>
    public async Task<int> ImportAsync(ClinicDbContext db, TimeProvider clock)
    {
        var files = new List<(string File, string Source)>();
        foreach (var file in Directory.GetFiles(Folder(), "*.md").Order())
            files.Add((file, await File.ReadAllTextAsync(file)));
        if (await AllImportedAsync(db, files)) return 0;
        var added = 0;
        foreach (var (file, source) in files)
        {
            ConsentTemplateText text;
            CellSource? cellSource;
            try
            {
                text = ConsentTemplateText.Parse(source);
                cellSource = text.Header.IsShortForm ? null : Enum.Parse<CellSource>(text.Header.CellSource);
            }
            catch (Exception e) when (e is TemplateFormatException or MissingPlaceholderException or ArgumentException)
            {
                // One broken file must not keep the clinic closed: it is left out and reported.
                logger.LogError("Consent template file {File} was not imported: {Problem}", Path.GetFileName(file), e.Message);
                continue;
            }
            var header = text.Header;
            // The English and Spanish files share a template: look among those added by this import first.
            var template = db.ConsentTemplates.Local.FirstOrDefault(t => t.Code == header.Code)
                ?? await db.ConsentTemplates.Include(t => t.Versions).FirstOrDefaultAsync(t => t.Code == header.Code);
            if (template is null)
            {
                var kind = cellSource is null ? TemplateKind.ShortForm : TemplateKind.ConsentForm;
                if (db.ConsentTemplates.Local.Any(t => t.CellSource == cellSource && t.Kind == kind)
                    || await db.ConsentTemplates.AnyAsync(t => t.CellSource == cellSource && t.Kind == kind))
                {
                    logger.LogError("Consent template file {File} was not imported: another template already covers {CellSource}",
                        Path.GetFileName(file), cellSource?.ToString() ?? "the short form");
                    continue;
                }
                template = cellSource is { } cells ? new ConsentTemplate(header.Code, TitleFor(cells), cells) : ConsentTemplate.ShortForm(header.Code, ShortFormTitle);
                db.ConsentTemplates.Add(template);
            }
            else if (template.CellSource != cellSource)
            {
                logger.LogError("Consent template file {File} was not imported: {Code} is not for {CellSource}",
                    Path.GetFileName(file), header.Code, cellSource?.ToString() ?? "the short form");
                continue;
            }
            if (ConsentLanguage.From(header.Language) is not { } language)
            {
                logger.LogError("Consent template file {File} was not imported: its language '{Language}' is not a language tag such as en or es",
                    Path.GetFileName(file), header.Language);
                continue;
            }
            var existing = template.Versions.FirstOrDefault(v => v.Version == header.Version && v.Language == language);
            if (existing is not null)
            {
                if (existing.Body != source)
                    logger.LogWarning("Template file {File} differs from published {Code} v{Version} ({Language}); give it a new version number",
                        Path.GetFileName(file), header.Code, header.Version, header.Language);
                continue;
            }
            var version = template.AddDraft(header.Version, language, header.EffectiveDate, header.RequiresReconsent, source, clock.GetUtcNow());
            added++;
            // A file is published as it is imported, unless this clinic's settings leave a placeholder it prints empty or
            // it reads above its target level: then it waits as a draft, and the templates page says why.
            var check = Check(text, cellSource, clock.GetUtcNow());
            var problem = check.Problem ?? (check.NeedsReason
                ? $"it reads above its target ({check.Level!.Summary}); an administrator may publish it with a reason." : null);
            if (problem is not null)
                logger.LogWarning("Consent template file {File} was imported as a draft, not published: {Problem}", Path.GetFileName(file), problem);
            else
                template.Publish(version.Id, clock.GetUtcNow());
        }
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException) when (added > 0)
        {
            // Another instance of the app imported the same files at the same moment; its import stands.
            db.ChangeTracker.Clear();
            logger.LogInformation("Consent templates were imported by another instance");
            return 0;
        }
        if (added > 0) logger.LogInformation("Imported {Count} consent template versions", added);
        return added;
    }

    /// <summary>
    /// Whether every file is a version already stored with exactly its text (an import stores a file's text as it is),
    /// found by the code, version and language its header names: then there is nothing to import or report, as on most
    /// starts. Reading the headers alone and the stored versions in one query saves parsing the wording of every file
    /// and a query per file at each start (about 0.4 s). A new, changed, broken or rival file goes through the import,
    /// which reports it.
    /// </summary>
    private static async Task<bool> AllImportedAsync(ClinicDbContext db, List<(string File, string Source)> files)
    {
        var headers = files.Select(f => ConsentTemplateText.HeaderOf(f.Source)).ToList();
        if (headers.Any(h => h is null)) return false;
        var stored = await db.ConsentTemplateVersions.AsNoTracking()
            .Join(db.ConsentTemplates, v => v.TemplateId, t => t.Id, (v, t) => new { t.Code, v.Version, v.Language, v.Body })
            .ToListAsync();
        return files.Zip(headers, (f, h) => (f.Source, Header: h!)).All(f => ConsentLanguage.From(f.Header.Language) is { } language
            && stored.Any(s => s.Code == f.Header.Code && s.Version == f.Header.Version && s.Language == language && s.Body == f.Source));
    }

    /// <summary>
    /// The wording as a patient of this clinic would get it (sample patient data, the clinic's own settings, its
    /// regulatory basis) and its reading level; or why it cannot reach a patient: a placeholder the form prints has no value.
    /// </summary>
    public WordingCheck Check(ConsentTemplateText text, CellSource? source, DateTimeOffset at)
    {
        var clinic = options.Value;
        try
        {
            var resolved = text.Resolve(ConsentPdfValues.For(clinic.SampleRequest(at, text.Header.Language, source), text), clinic.Basis);
            return new WordingCheck(resolved, null, ReadingLevel.Of(resolved, text.Header.Language));
        }
        catch (MissingPlaceholderException e)
        {
            return new WordingCheck(null, $"it prints {{{{ {e.Placeholder} }}}}, which has no value under this clinic's settings: set {ClinicOptions.SettingFor(e.Placeholder)}.", null);
        }
    }

    /// <summary>
    /// A version's reading level, as the templates page lists it. Published and retired wording never changes, so its
    /// level is kept for the day (the sample dates it is read with change daily); a draft's is worked out every time.
    /// </summary>
    public ReadingLevelResult? LevelOf(ConsentTemplateVersion version, CellSource? source, DateTimeOffset at)
    {
        if (version.Status == TemplateVersionStatus.Draft) return Check(Parsed(version), source, at).Level;
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        if (_levels.TryGetValue((version.Id, source), out var kept) && kept.Day == day) return kept.Level;
        var level = Check(Parsed(version), source, at).Level;
        _levels[(version.Id, source)] = (day, level);
        return level;
    }

    private readonly ConcurrentDictionary<(Guid, CellSource?), (DateOnly Day, ReadingLevelResult? Level)> _levels = new();

    public const string ShortFormTitle = "Short form (for patients who read neither English nor Spanish)";

    public static string TitleFor(CellSource source) => source switch
    {
        CellSource.BoneMarrow => "Bone-marrow cell injection",
        CellSource.Adipose => "Fat-derived cell injection",
        CellSource.UmbilicalCord => "Umbilical-cord cell injection",
    };
}

/// <summary>A template's wording checked against the clinic's settings: resolved, or the problem; and how plainly it reads.</summary>
public sealed record WordingCheck(ResolvedConsentText? Text, string? Problem, ReadingLevelResult? Level)
{
    /// <summary>English wording above grade 8 is published only with an administrator's reason.</summary>
    public bool NeedsReason => Level is { English: true, MeetsTarget: false };
}
