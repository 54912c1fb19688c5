using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

/// <summary>A staff account as pages name it, and whether it can be chosen as a clinician (active, in the role).</summary>
public sealed record StaffMember(string Id, string DisplayName, bool ActiveClinician);

/// <summary>A published consent form: its language, the cell source it is for (none for a short form), and whether it is the written form or a short form.</summary>
public sealed record PublishedForm(ConsentLanguage Language, CellSource? CellSource, TemplateKind Kind);

/// <summary>
/// The few rows nearly every case page reads and that seldom change: the staff accounts (names, and who can be chosen
/// as a clinician) and the published consent forms, kept in memory until the next change (<see cref="DataChanges"/>).
/// </summary>
public sealed class ReferenceData(DataChanges changes)
{
    /// <summary>Every staff account, by id.</summary>
    public Task<IReadOnlyDictionary<string, StaffMember>> StaffAsync(ClinicDbContext db) => changes.KeptAsync(db, (typeof(ReferenceData), typeof(StaffMember)), async () =>
        (IReadOnlyDictionary<string, StaffMember>)(await db.Users.AsNoTracking()
            .Select(u => new StaffMember(u.Id, u.DisplayName, u.DisabledAt == null
                && db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name == Roles.Clinician))))
            .ToListAsync()).ToDictionary(u => u.Id));

    /// <summary>The active clinicians, by name.</summary>
    public async Task<IReadOnlyList<StaffMember>> ActiveCliniciansAsync(ClinicDbContext db) =>
        [.. (await StaffAsync(db)).Values.Where(u => u.ActiveClinician).OrderBy(u => u.DisplayName, StringComparer.CurrentCulture).ThenBy(u => u.Id, StringComparer.Ordinal)];

    /// <summary>The language, cell source and kind of every published consent form version (a handful of rows).</summary>
    public Task<IReadOnlyList<PublishedForm>> PublishedFormsAsync(ClinicDbContext db) => changes.KeptAsync(db, (typeof(ReferenceData), typeof(PublishedForm)), async () =>
        (IReadOnlyList<PublishedForm>)await db.ConsentTemplateVersions
            .Where(v => v.Status == TemplateVersionStatus.Published)
            .Join(db.ConsentTemplates, v => v.TemplateId, t => t.Id, (v, t) => new PublishedForm(v.Language, t.CellSource, t.Kind))
            .Distinct().ToListAsync());
}
