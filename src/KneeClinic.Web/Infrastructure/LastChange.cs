using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Where the data stood: every change the app saves writes the audit trail in the same transaction, so the sequence
/// number of the last row added, changed or deleted tells a figure kept in memory whether it is still current, on
/// every instance. Views and downloads are in the trail too but change nothing, so they are left out.
/// </summary>
public static class LastChange
{
    /// <summary>One statement, whose three maxima the (Action, Sequence) index gives each at once; null on an empty trail.</summary>
    public static async Task<long?> ReadAsync(ClinicDbContext db, CancellationToken cancellationToken = default)
    {
        var last = await db.AuditEntries.Select(_ => new
        {
            Created = db.AuditEntries.Where(e => e.Action == AuditAction.Created).Max(e => (long?)e.Sequence),
            Updated = db.AuditEntries.Where(e => e.Action == AuditAction.Updated).Max(e => (long?)e.Sequence),
            Deleted = db.AuditEntries.Where(e => e.Action == AuditAction.Deleted).Max(e => (long?)e.Sequence),
        }).FirstOrDefaultAsync(cancellationToken);
        return last is null ? null : new[] { last.Created, last.Updated, last.Deleted }.Max();
    }
}
