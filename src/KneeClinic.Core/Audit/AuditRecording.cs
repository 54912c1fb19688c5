using KneeClinic.Core.Data;

namespace KneeClinic.Core.Audit;

public static class AuditRecording
{
    /// <summary>Saves an event (a page viewed, a file downloaded, a sign-in) in the chain, with anything else pending on this context.</summary>
    public static async Task RecordAsync(this ClinicDbContext db, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
    }
}
