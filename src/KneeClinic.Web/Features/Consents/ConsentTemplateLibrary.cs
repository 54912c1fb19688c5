using System.Collections.Concurrent;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Documents.Consent;
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
        var added = 0;
        foreach (var file in Directory.GetFiles(Folder(), "*.md").Order())
        {
            ConsentTemplateText text;
            CellSource cellSource;
            var source = await File.ReadAllTextAsync(file);
            try
            {
                text = ConsentTemplateText.Parse(source);
                text.Resolve(ConsentPdfValues.Sample(text.Header.Language));
                cellSource = Enum.Parse<CellSource>(text.Header.CellSource);
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
                if (db.ConsentTemplates.Local.Any(t => t.CellSource == cellSource) || await db.ConsentTemplates.AnyAsync(t => t.CellSource == cellSource))
                {
                    logger.LogError("Consent template file {File} was not imported: another template already covers {CellSource}",
                        Path.GetFileName(file), cellSource);
                    continue;
                }
                template = new ConsentTemplate(header.Code, TitleFor(cellSource), cellSource);
                db.ConsentTemplates.Add(template);
            }
            var existing = template.Versions.FirstOrDefault(v => v.Version == header.Version && v.Language == header.Language);
            if (existing is not null)
            {
                if (existing.Body != source)
                    logger.LogWarning("Template file {File} differs from published {Code} v{Version} ({Language}); give it a new version number",
                        Path.GetFileName(file), header.Code, header.Version, header.Language);
                continue;
            }
            var version = template.AddDraft(header.Version, header.Language, header.EffectiveDate, header.RequiresReconsent, source, clock.GetUtcNow());
            template.Publish(version.Id, clock.GetUtcNow());
            added++;
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

    public static string TitleFor(CellSource source) => source switch
    {
        CellSource.BoneMarrow => "Bone-marrow cell injection",
        CellSource.Adipose => "Fat-derived cell injection",
        _ => "Umbilical-cord cell injection",
    };
}
