using System.Security.Cryptography;
using System.Text.Json;
using KneeClinic.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Core.Audit;

/// <summary>What a walk along the audit chain found.</summary>
/// <param name="Entries">Entries read.</param>
/// <param name="BeforeChain">Entries written before the chain began (kept, but not covered by it).</param>
/// <param name="BrokenAt">The sequence number of the first entry that is missing, changed or out of place; null when intact.</param>
/// <param name="Problem">What is wrong there, in words.</param>
/// <param name="HeadSequence">The last entry's sequence number (0 when empty).</param>
/// <param name="HeadHash">The last entry's hash: written down elsewhere, it lets a later check see entries cut off the end.</param>
public sealed record ChainReport(long Entries, long BeforeChain, long? BrokenAt, string? Problem, long HeadSequence, string? HeadHash)
{
    public bool Intact => BrokenAt is null;
}

/// <summary>
/// The audit trail's hash chain: entry n holds SHA-256 over its own fields and the hash of entry n-1, so
/// changing or deleting an entry in the database breaks the link at that entry.
/// </summary>
public static class AuditChain
{
    private const string SqlServerLock = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = N'KneeClinic.AuditChain', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 30000;
        IF @result < 0 THROW 51000, 'The audit trail is busy; the change was not saved. Try again.', 1;
        """;

    /// <summary>
    /// The last entry's sequence number and hash, read so that no other save can add an entry before this
    /// transaction ends: SQLite's writers are already serialised (Microsoft.Data.Sqlite begins transactions
    /// IMMEDIATE); SQL Server takes an exclusive application lock held until commit.
    /// </summary>
    public static async Task<(long Sequence, string? Hash)> LockTailAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (context.Database.ProviderName == "Microsoft.EntityFrameworkCore.SqlServer")
            await context.Database.ExecuteSqlRawAsync(SqlServerLock, cancellationToken);
        var tail = await context.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        return tail is null ? (0, null) : (tail.Sequence, tail.Hash);
    }

    /// <summary>Times are kept to the millisecond, which both providers store exactly, so a hash read back matches.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>SHA-256 (lower-case hex) of the entry's fields in a fixed order, as a JSON array so no two entries encode alike.</summary>
    public static string HashOf(AuditEntry entry)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteNumberValue(entry.Sequence);
            json.WriteNumberValue(entry.At.UtcTicks);
            json.WriteStringValue(entry.UserId);
            json.WriteStringValue(entry.UserName);
            json.WriteStringValue(entry.ClientAddress);
            json.WriteStringValue(entry.Entity);
            json.WriteStringValue(entry.EntityId);
            json.WriteStringValue(entry.Action.ToString());
            json.WriteStringValue(entry.PatientId?.ToString("D"));
            json.WriteStringValue(entry.OldValues);
            json.WriteStringValue(entry.NewValues);
            json.WriteStringValue(entry.PreviousHash);
            json.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>Walks the whole trail in sequence order and reports the first entry that is missing, changed or out of place.</summary>
    public static async Task<ChainReport> VerifyAsync(ClinicDbContext db, CancellationToken cancellationToken = default)
    {
        long entries = 0, beforeChain = 0, previousSequence = 0;
        string? previousHash = null;
        var chained = false;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            entries++;
            if (entry.Hash is null)
            {
                if (chained) return Broken(entry.Sequence, $"Entry {entry.Sequence} has no hash: it was not written by the app.");
                beforeChain++;
                previousSequence = entry.Sequence;
                continue;
            }
            var expected = chained || beforeChain > 0 ? previousSequence + 1 : 1;
            if (entry.Sequence != expected)
                return Broken(expected, entry.Sequence > expected
                    ? $"Entries {expected} to {entry.Sequence - 1} are missing: they were deleted."
                    : $"Entry {entry.Sequence} is out of place: expected entry {expected}.");
            if (entry.PreviousHash != previousHash)
                return Broken(entry.Sequence, $"Entry {entry.Sequence} does not follow the entry before it: that entry was changed or replaced.");
            if (HashOf(entry) != entry.Hash)
                return Broken(entry.Sequence, $"Entry {entry.Sequence} was changed after it was written: its contents no longer match its hash.");
            chained = true;
            previousSequence = entry.Sequence;
            previousHash = entry.Hash;
        }
        return new ChainReport(entries, beforeChain, null, null, previousSequence, previousHash);

        ChainReport Broken(long at, string problem) => new(entries, beforeChain, at, problem, previousSequence, previousHash);
    }
}
