using KneeClinic.Core;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.ConsentRecords;

/// <summary>
/// Administrators review every consent record. The filters hold no patient data, so they may stay in
/// the address and a filtered list can be bookmarked.
/// </summary>
[Authorize(Policy = Startup.AdministrationPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ConsentRecordsController(ClinicDbContext db, AuditReads reads, ClinicClock clock, IOptions<ClinicOptions> options) : Controller
{
    public const int PageSize = 25;

    [HttpGet]
    public async Task<IActionResult> Index(ConsentRecordFilter filter)
    {
        ClinicOptions.CheckFilterDates(ModelState, filter.From, filter.To);
        if (!ModelState.IsValid) return View(new ConsentRecordList(filter, KeysetPage.Empty<ConsentRecordRow>(), 0, await CodesAsync()));

        var documents = db.ConsentDocuments.AsNoTracking();
        if (filter.Status is { } status) documents = documents.Where(d => d.Status == status);
        if (filter.From is { } from) { var start = clock.ToUtc(from.ToDateTime(TimeOnly.MinValue)); documents = documents.Where(d => d.GeneratedAt >= start); }
        if (filter.To is { } to) { var end = clock.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue)); documents = documents.Where(d => d.GeneratedAt < end); }
        // A signed or withdrawn consent must have its scan; one without is a gap in the record.
        if (filter.MissingScan) documents = documents.Where(d => d.Status != ConsentStatus.Generated && d.Status != ConsentStatus.Voided && d.Signature == null);
        // The template's code, version and language are on the template version (the code on its template): read them
        // only when the filter names one.
        var language = ConsentLanguage.From(filter.Language);
        if (!string.IsNullOrEmpty(filter.Template) || filter.Version is not null || language is not null)
        {
            var versions = db.ConsentTemplateVersions.AsQueryable();
            if (filter.Version is { } version) versions = versions.Where(v => v.Version == version);
            if (language is not null) versions = versions.Where(v => v.Language == language);
            if (!string.IsNullOrEmpty(filter.Template)) versions = versions.Where(v => db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.Code == filter.Template));
            documents = documents.Where(d => versions.Any(v => v.Id == d.TemplateVersionId));
        }

        // Counted over the documents alone: the page's joins (template version, template, case, patient) follow required
        // foreign keys, so they never drop a document, and through them the count of 1,001 rows cost four lookups a row.
        var matches = await Keyset.CountUpToAsync(documents, Pager.CountCap);
        var rows = documents
            .Join(db.ConsentTemplateVersions, d => d.TemplateVersionId, v => v.Id, (d, v) => new { d, v })
            .Join(db.ConsentTemplates, x => x.v.TemplateId, t => t.Id, (x, t) => new { x.d, x.v, t })
            .Join(db.Cases, x => x.d.CaseId, c => c.Id, (x, c) => new { x.d, x.v, x.t, c.PatientId })
            .Join(db.Patients, x => x.PatientId, p => p.Id, (x, p) => new { x.d, x.v, x.t, p });
        // Newest first, then by id so the order is unique; seek from the row a page link names, never OFFSET.
        var order = Keyset.OrderBy(rows, x => x.d.GeneratedAt, descending: true).ThenBy(x => x.d.Id, descending: true);
        // One statement: the patient and the person who obtained consent come in by join, not one query per row.
        var page = await Keyset.PageAsync(rows, order, x => x.d.Id, Guid.TryParse, filter, PageSize,
            x => new
            {
                Row = new ConsentRecordRow(x.d.Id, x.d.DocumentNumber, x.t.Code, x.v.Version, x.v.Language, x.d.Status, x.d.GeneratedAt,
                    x.d.Signature!.SignedAt, x.d.Signature != null, x.d.Route, x.d.ShortFormLanguage, x.d.Signature!.WitnessName,
                    x.d.Signature!.InterpreterLanguage, x.d.Signature!.RepresentativeName),
                x.p.FamilyName,
                x.p.GivenName,
                x.p.Mrn,
                PatientId = x.p.Id,
                ObtainedBy = db.Users.Where(u => u.Id == x.d.Signature!.ObtainedById).Select(u => u.DisplayName).FirstOrDefault(),
            });
        var found = page.Rows;
        var now = clock.Now;
        var list = found.Select(x => x.Row with
        {
            Patient = Core.Patients.Patient.ListName(x.FamilyName, x.GivenName),
            Mrn = x.Mrn.Value,
            PatientId = x.PatientId,
            ObtainedBy = x.ObtainedBy,
            ValidUntil = x.Row.SignedAt is { } signed ? ConsentDocument.ValidUntil(signed, options.Value.ConsentValidityDays) : null,
            Now = now,
        }).ToList();
        await reads.ListedAsync(AuditReads.ListPages.ConsentRecords, found.Select(x => x.PatientId));
        return View(new ConsentRecordList(filter, new KeysetPage<ConsentRecordRow>(list, page.HasPrevious, page.HasNext, page.CursorLost), matches, await CodesAsync()));
    }

    private Task<List<string>> CodesAsync() => db.ConsentTemplates.OrderBy(t => t.Code).Select(t => t.Code).ToListAsync();
}

public sealed class ConsentRecordFilter : PagedRequest
{
    public ConsentStatus? Status { get; set; }
    public string? Template { get; set; }

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int? Version { get; set; }

    public string? Language { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public bool MissingScan { get; set; }

    /// <summary>The filter again, for the page links (it holds no patient data, so it may go in the address).</summary>
    public Dictionary<string, string> RouteValues() => new Dictionary<string, string?>
    {
        ["Status"] = Status?.ToString(),
        ["Template"] = Template,
        ["Version"] = Version?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Language"] = Language,
        ["From"] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["To"] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["MissingScan"] = MissingScan ? "true" : null,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value!);
}

public sealed record ConsentRecordRow(Guid Id, string DocumentNumber, string Template, int Version, ConsentLanguage Language, ConsentStatus Status,
    DateTimeOffset GeneratedAt, DateTimeOffset? SignedAt, bool HasScan, ConsentRoute Route = ConsentRoute.FullForm, ConsentLanguage? ShortFormLanguage = null,
    string? Witness = null, string? InterpreterLanguage = null, string? Representative = null)
{
    /// <summary>"Family, Given".</summary>
    public string Patient { get; init; } = "";
    public string Mrn { get; init; } = "";
    public Guid PatientId { get; init; }

    /// <summary>The clinician who recorded the signing, whose signature on the form means "obtained consent".</summary>
    public string? ObtainedBy { get; init; }

    /// <summary>The last moment the signature covers a procedure by its age (the verify page also weighs newer wording).</summary>
    public DateTimeOffset? ValidUntil { get; init; }
    public DateTimeOffset Now { get; init; }

    /// <summary>The validity in a few words: the date, or why there is none.</summary>
    public string Validity => Status switch
    {
        ConsentStatus.Generated => "not signed",
        ConsentStatus.Voided => "voided",
        ConsentStatus.Withdrawn => "withdrawn",
        ConsentStatus.Signed when ValidUntil is null => "",
        ConsentStatus.Signed => $"{ValidUntil:yyyy-MM-dd}" + (ValidUntil < Now ? " (lapsed)" : ""),
    };

    /// <summary>How consent was obtained and who signed besides the patient, in a few words for the list.</summary>
    public string HowObtained => string.Join("; ", new[]
    {
        Route == ConsentRoute.ShortForm ? $"short form ({ShortFormLanguage})" : "full form",
        Representative is null ? null : $"representative: {Representative}",
        Witness is null ? null : $"witness: {Witness}",
        InterpreterLanguage is null ? null : $"interpreted into {InterpreterLanguage}",
    }.OfType<string>());
}

public sealed record ConsentRecordList(ConsentRecordFilter Filter, KeysetPage<ConsentRecordRow> Page, int Matches, IReadOnlyList<string> Templates)
{
    public IReadOnlyList<ConsentRecordRow> Rows => Page.Rows;

    public Pager Pager => Pager.Of(Page, r => r.Id.ToString(), Filter.RouteValues(), post: false);
}
