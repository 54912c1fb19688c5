using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace KneeClinic.Web.Infrastructure;

/// <summary>A staff account as pages name it, and whether it can be chosen as a clinician (active, in the role).</summary>
public sealed record StaffMember(string Id, string DisplayName, bool ActiveClinician);

/// <summary>A published consent form: its language, the cell source it is for (none for a short form), and whether it is the written form or a short form.</summary>
public sealed record PublishedForm(ConsentLanguage Language, CellSource? CellSource, TemplateKind Kind);

/// <summary>
/// The few rows nearly every case page reads and that seldom change: the staff accounts (names, and who can be chosen
/// as a clinician) and the published consent forms. They are kept in memory as of the last change saved
/// (<see cref="DataChanges"/>), so a page reads them again only after something changed; a change made outside the
/// app (straight in the database) shows within <see cref="OutsideChangeSeenWithin"/>.
/// </summary>
public sealed class ReferenceData(IMemoryCache cache, DataChanges changes)
{
    public static readonly TimeSpan OutsideChangeSeenWithin = TimeSpan.FromMinutes(1);

    private sealed record Kept<T>(long? LastChange, T Value);

    /// <summary>Every staff account, by id.</summary>
    public Task<IReadOnlyDictionary<string, StaffMember>> StaffAsync(ClinicDbContext db) => KeptAsync(db, typeof(StaffMember), async () =>
        (IReadOnlyDictionary<string, StaffMember>)(await db.Users.AsNoTracking()
            .Select(u => new StaffMember(u.Id, u.DisplayName, u.DisabledAt == null
                && db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name == Roles.Clinician))))
            .ToListAsync()).ToDictionary(u => u.Id));

    /// <summary>The active clinicians, by name.</summary>
    public async Task<IReadOnlyList<StaffMember>> ActiveCliniciansAsync(ClinicDbContext db) =>
        [.. (await StaffAsync(db)).Values.Where(u => u.ActiveClinician).OrderBy(u => u.DisplayName, StringComparer.CurrentCulture).ThenBy(u => u.Id, StringComparer.Ordinal)];

    /// <summary>The language, cell source and kind of every published consent form version (a handful of rows).</summary>
    public Task<IReadOnlyList<PublishedForm>> PublishedFormsAsync(ClinicDbContext db) => KeptAsync(db, typeof(PublishedForm), async () =>
        (IReadOnlyList<PublishedForm>)await db.ConsentTemplateVersions
            .Where(v => v.Status == TemplateVersionStatus.Published)
            .Join(db.ConsentTemplates, v => v.TemplateId, t => t.Id, (v, t) => new PublishedForm(v.Language, t.CellSource, t.Kind))
            .Distinct().ToListAsync());

    private async Task<T> KeptAsync<T>(ClinicDbContext db, Type key, Func<Task<T>> read)
    {
        // Where the data stands is taken before the read: a change committed in between makes the next page read again.
        var lastChange = await changes.LastChangeAsync(db);
        if (cache.TryGetValue((typeof(ReferenceData), key), out Kept<T>? kept) && kept!.LastChange == lastChange) return kept.Value;
        var value = await read();
        cache.Set((typeof(ReferenceData), key), new Kept<T>(lastChange, value), OutsideChangeSeenWithin);
        return value;
    }
}
