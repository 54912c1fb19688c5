using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Audit;

public sealed class AuditFilter : PagedRequest
{
    [Display(Name = "User")]
    public string? UserId { get; set; }

    [Display(Name = "Patient MRN"), StringLength(32)]
    public string? Mrn { get; set; }

    [StringLength(200)]
    public string? Entity { get; set; }

    /// <summary>The audited action. Not named "Action": that name is taken by the route value of the action method.</summary>
    [Display(Name = "Action")]
    public AuditAction? Operation { get; set; }

    [Display(Name = "From")]
    public DateOnly? From { get; set; }

    [Display(Name = "To")]
    public DateOnly? To { get; set; }

    /// <summary>The filter again, for the pager's forms (posted: an MRN never goes in an address).</summary>
    public Dictionary<string, string> Values() => new Dictionary<string, string?>
    {
        [nameof(UserId)] = UserId,
        [nameof(Mrn)] = Mrn,
        [nameof(Entity)] = Entity,
        [nameof(Operation)] = Operation?.ToString(),
        [nameof(From)] = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        [nameof(To)] = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    }.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value!);
}

public sealed record AuditRow(long Sequence, DateTime At, string? UserName, string? ClientAddress, AuditAction Action, string Entity,
    string EntityId, Mrn? PatientMrn, string? OldValues, string? NewValues, string? Hash, Guid? PatientId = null)
{
    /// <summary>The record type in words ("Consent form").</summary>
    public string Record => AuditNames.Record(Entity);

    /// <summary>The record's page, when it has one.</summary>
    public AuditLink? Link => AuditNames.Link(Entity, EntityId);

    /// <summary>What the folded list of values says before it is opened.</summary>
    public string Summary(int count) => Action switch
    {
        AuditAction.Created => Count(count, "field") + " recorded",
        AuditAction.Deleted => Count(count, "field") + " removed",
        AuditAction.Updated => Count(count, "field") + " changed",
        _ => Count(count, "detail"),
    };

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>
    /// The changed fields with their values before and after, read from the two JSON objects. A field that holds patient
    /// data (<see cref="PatientData"/>) is marked, for the page to show its name and <see cref="Hidden"/> in place of its
    /// values until an administrator reveals them with a reason.
    /// </summary>
    public IEnumerable<AuditChange> Changes()
    {
        var before = Read(OldValues);
        var after = Read(NewValues);
        return before.Keys.Union(after.Keys).Select(k => new AuditChange(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k), HoldsPatientData(k)));
    }

    /// <summary>What a hidden value says in its place.</summary>
    public string Hidden => Action switch
    {
        AuditAction.Created => "recorded",
        AuditAction.Deleted => "removed",
        _ => "changed",
    };

    /// <summary>Whether the entry holds patient data the viewer hides.</summary>
    public bool HidesPatientData => Changes().Any(c => c.PatientData);

    /// <summary>The entry's values as JSON again, with each value of patient data replaced by <see cref="Hidden"/> (for the export).</summary>
    public string? Masked(string? json)
    {
        if (string.IsNullOrEmpty(json)) return json;
        var values = Read(json);
        if (!values.Keys.Any(HoldsPatientData)) return json;
        return JsonSerializer.Serialize(values.ToDictionary(kv => kv.Key, kv => HoldsPatientData(kv.Key) ? $"({Hidden})" : kv.Value), MaskedJson);
    }

    // Values not stored as the app's JSON are shown as they are: hidden too when the record has fields of patient data.
    private bool HoldsPatientData(string field) => field == Unreadable
        ? PatientData.AnyIn(AuditNames.TypeOf(Entity))
        : PatientData.Holds(AuditNames.TypeOf(Entity), field);

    private const string Unreadable = "(as stored)";

    private static readonly JsonSerializerOptions MaskedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Dictionary<string, string?> Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return document.RootElement.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key,
                    g => g.Last().Value.ValueKind switch { JsonValueKind.Null => null, JsonValueKind.String => g.Last().Value.GetString(), _ => g.Last().Value.GetRawText() });
        }
        catch (JsonException)
        {
            // Not written by the app (the chain check will say so); show it as it is rather than fail the page.
        }
        return new() { [Unreadable] = json };
    }
}

/// <summary>One field of an entry: its values before and after, and whether it holds patient data.</summary>
public sealed record AuditChange(string Field, string? Before, string? After, bool PatientData);

/// <summary>One entry opened on its own page, its patient data hidden until revealed with a reason.</summary>
public sealed record AuditEntryPage(AuditRow Row, RevealForm Reveal, bool Revealed);

/// <summary>Why an administrator needs to see the patient data in an entry; recorded in the trail with who asked.</summary>
public sealed class RevealForm
{
    public const int MinimumLength = 10;

    [Required(ErrorMessage = "Give the reason you need to see these values.")]
    [StringLength(500, ErrorMessage = "Keep the reason under 500 characters.")]
    [Display(Name = "Reason")]
    public string? Reason { get; set; }
}

public sealed record AuditPage(AuditFilter Filter, KeysetPage<AuditRow> Page, int Matches, IReadOnlyList<SelectListItem> Users,
    IReadOnlyList<string> Entities)
{
    public const int PageSize = 50;

    public IReadOnlyList<AuditRow> Rows => Page.Rows;

    public Pager Pager => Pager.Of(Page, r => r.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Filter.Values(), post: true);
}

/// <summary>The audit viewer's queries: the filter checked, one page of entries, or every entry for an export.</summary>
public static class AuditSearch
{
    public const int ExportLimit = 100_000;

    /// <summary>Adds the filter's problems to <paramref name="modelState"/>; returns the patient the MRN names.</summary>
    public static async Task<Guid?> CheckAsync(ClinicDbContext db, AuditFilter filter, ModelStateDictionary modelState)
    {
        ClinicOptions.CheckFilterDates(modelState, filter.From, filter.To);
        if (string.IsNullOrWhiteSpace(filter.Mrn) || !modelState.IsValid) return null;
        if (Mrn.From(filter.Mrn) is not { } mrn)
        {
            modelState.AddModelError(nameof(filter.Mrn), Mrn.FormatMessage);
            return null;
        }
        var patientId = await db.Patients.Where(p => p.Mrn == mrn).Select(p => (Guid?)p.Id).FirstOrDefaultAsync();
        if (patientId is null) modelState.AddModelError(nameof(filter.Mrn), "No patient has this MRN.");
        return patientId;
    }

    public static async Task<AuditPage> PageAsync(ClinicDbContext db, AuditRecordTypes types, ClinicClock clinic, AuditFilter filter, Guid? patientId)
    {
        var entries = Filtered(db, clinic, filter, patientId);
        var matches = await Keyset.CountUpToAsync(entries, Pager.CountCap);
        // Newest first; the sequence is unique, so it alone is the seek key.
        var page = await Keyset.PageAsync(entries, Keyset.OrderBy(entries, e => e.Sequence, descending: true), e => e.Sequence,
            (string text, out long sequence) => long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sequence),
            filter, AuditPage.PageSize, Row(db));
        var rows = new KeysetPage<AuditRow>([.. page.Rows.Select(e => e.ToRow(clinic))], page.HasPrevious, page.HasNext, page.CursorLost);
        return new AuditPage(filter, rows, matches, await UsersAsync(db), await types.NamesAsync(db));
    }

    public static async Task<AuditPage> EmptyAsync(ClinicDbContext db, AuditRecordTypes types, AuditFilter filter) =>
        new(filter, KeysetPage.Empty<AuditRow>(), 0, await UsersAsync(db), await types.NamesAsync(db));

    /// <summary>One entry by its place in the chain, as the list shows it; null when there is none.</summary>
    public static async Task<AuditRow?> EntryAsync(ClinicDbContext db, ClinicClock clinic, long sequence) =>
        (await db.AuditEntries.AsNoTracking().Where(e => e.Sequence == sequence).Select(Row(db)).FirstOrDefaultAsync())?.ToRow(clinic);

    /// <summary>Every matching entry, oldest first; null when more than <see cref="ExportLimit"/> match.</summary>
    public static async Task<IReadOnlyList<AuditRow>?> AllAsync(ClinicDbContext db, ClinicClock clinic, AuditFilter filter, Guid? patientId)
    {
        var entries = Filtered(db, clinic, filter, patientId);
        // Counted only as far as the limit: past it the answer is the same, however large the trail.
        if (await Keyset.CountUpToAsync(entries, ExportLimit) > ExportLimit) return null;
        return [.. (await entries.OrderBy(e => e.Sequence).Select(Row(db)).ToListAsync()).Select(e => e.ToRow(clinic))];
    }

    private static IQueryable<AuditEntry> Filtered(ClinicDbContext db, ClinicClock clinic, AuditFilter filter, Guid? patientId)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.UserId)) entries = entries.Where(e => e.UserId == filter.UserId);
        if (patientId is { } patient) entries = entries.Where(e => e.PatientId == patient);
        if (!string.IsNullOrEmpty(filter.Entity)) entries = entries.Where(e => e.Entity == filter.Entity);
        if (filter.Operation is { } action) entries = entries.Where(e => e.Action == action);
        if (filter.From is { } from) { var start = clinic.ToUtc(from.ToDateTime(TimeOnly.MinValue)); entries = entries.Where(e => e.At >= start); }
        if (filter.To is { } to) { var end = clinic.ToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue)); entries = entries.Where(e => e.At < end); }
        return entries;
    }

    /// <summary>An entry as the list shows it, with its patient's MRN by a lookup on the primary key.</summary>
    private static System.Linq.Expressions.Expression<Func<AuditEntry, StoredRow>> Row(ClinicDbContext db) => e => new StoredRow(e.Sequence, e.At,
        e.UserName, e.ClientAddress, e.Action, e.Entity, e.EntityId, db.Patients.Where(p => p.Id == e.PatientId).Select(p => (Mrn?)p.Mrn).FirstOrDefault(),
        e.PatientId, e.OldValues, e.NewValues, e.Hash);

    private sealed record StoredRow(long Sequence, DateTimeOffset At, string? UserName, string? ClientAddress, AuditAction Action, string Entity,
        string EntityId, Mrn? Mrn, Guid? PatientId, string? OldValues, string? NewValues, string? Hash)
    {
        public AuditRow ToRow(ClinicClock clinic) => new(Sequence, clinic.ToLocal(At), UserName, ClientAddress, Action, Entity, EntityId,
            Mrn, OldValues, NewValues, Hash, PatientId);
    }

    private static async Task<IReadOnlyList<SelectListItem>> UsersAsync(ClinicDbContext db) =>
        await db.Users.AsNoTracking().OrderBy(u => u.DisplayName)
            .Select(u => new SelectListItem($"{u.DisplayName} ({u.Email})", u.Id)).ToListAsync();
}
