using KneeClinic.Core.Data;

namespace KneeClinic.Core.Audit;

public static class AuditRecording
{
    /// <summary>
    /// Saves an event (a sign-in, a setting changed, a run of a command) in the chain, in its own transaction with anything
    /// else pending on this context. The web app records page views and downloads by group commit instead (AuditReads).
    /// </summary>
    public static async Task RecordAsync(this ClinicDbContext db, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
    }
}
