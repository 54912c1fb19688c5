using System.Security.Cryptography;
using System.Text.Json;
using KneeClinic.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Core.Audit;

/// <summary>Something wrong found by a check of the chain, at the entry where it is.</summary>
/// <param name="Sequence">The entry concerned (for a head line that cannot be read: 0).</param>
/// <param name="Text">What is wrong there, in words.</param>
public sealed record ChainProblem(long Sequence, string Text);

/// <summary>What a walk along the audit chain, checked against the signed heads, found.</summary>
/// <param name="Entries">Entries read.</param>
/// <param name="Legacy">Entries written before the keyed chain began (a database from an earlier version), checked by the old rules.</param>
/// <param name="Unhashed">Of those, the ones written before any chain began: kept, but covered by nothing.</param>
/// <param name="Problems">Every problem found, in sequence order: the first break of the chain and each head the trail does not match.</param>
/// <param name="IntactThrough">The chain is unbroken from the first entry to this one.</param>
/// <param name="LastSequence">The last entry's sequence number (0 when empty).</param>
/// <param name="LastHash">The last entry's hash.</param>
/// <param name="LatestHead">The latest valid signed head, or null when there is none.</param>
/// <param name="HeadLines">Lines read from the heads file.</param>
public sealed record ChainReport(long Entries, long Legacy, long Unhashed, IReadOnlyList<ChainProblem> Problems, long IntactThrough,
    long LastSequence, string? LastHash, AuditHead? LatestHead, int HeadLines)
{
    public bool Intact => Problems.Count == 0;

    /// <summary>The first entry where something is wrong; null when intact.</summary>
    public long? BrokenAt => Problems.Count == 0 ? null : Problems[0].Sequence;

    public string? Problem => Problems.Count == 0 ? null : Problems[0].Text;
}

/// <summary>
/// The audit trail's hash chain: entry n holds HMAC-SHA256, under a key kept outside the database, over its own fields
/// and the hash of entry n-1, so changing, deleting or re-hashing an entry in the database breaks the link at that entry;
/// signed heads written outside the database show entries cut off the end.
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

    /// <summary>
    /// Links <paramref name="entries"/>, in order, onto the chain's tail, read under its lock (<see cref="LockTailAsync"/>):
    /// each event is stamped at <paramref name="at"/> with <paramref name="actor"/> where it names no user or address of its
    /// own (an entry describing a row change is already stamped), then numbered and hashed with the ring's current key.
    /// Call it inside the transaction that writes them.
    /// </summary>
    internal static async Task SealAsync(DbContext context, IEnumerable<AuditEntry> entries, DateTimeOffset at, IAuditActor actor,
        AuditKeyRing keys, CancellationToken cancellationToken)
    {
        var (sequence, hash) = await LockTailAsync(context, cancellationToken);
        foreach (var entry in entries)
        {
            if (!entry.DescribesRowChange) entry.Stamp(at, actor, null);
            entry.Seal(++sequence, hash, keys);
            hash = entry.Hash;
        }
    }

    /// <summary>Times are kept to the millisecond, which both providers store exactly, so a hash read back matches.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>HMAC-SHA256 (lower-case hex), under <paramref name="key"/>, of the entry's fields and its key id.</summary>
    public static string HashOf(AuditEntry entry, byte[] key) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Fields(entry, keyed: true)));

    /// <summary>The plain SHA-256 of an entry from before the keyed chain (no key id): kept only to check such entries.</summary>
    public static string LegacyHashOf(AuditEntry entry) => Convert.ToHexStringLower(SHA256.HashData(Fields(entry, keyed: false)));

    /// <summary>The entry's fields in a fixed order, as a JSON array so no two entries encode alike.</summary>
    private static ReadOnlySpan<byte> Fields(AuditEntry entry, bool keyed)
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
            if (keyed) json.WriteStringValue(entry.KeyId);
            json.WriteEndArray();
        }
        return buffer.WrittenSpan;
    }

    /// <summary>
    /// Where the keyed chain begins when no signed head says so: after the entries before the first keyed one (a
    /// database upgraded from an earlier version), or after the last entry when none is keyed yet.
    /// </summary>
    public static async Task<long> LegacyThroughAsync(ClinicDbContext db, CancellationToken cancellationToken = default)
    {
        var firstKeyed = await db.AuditEntries.Where(e => e.KeyId != null).MinAsync(e => (long?)e.Sequence, cancellationToken);
        return firstKeyed is { } first ? first - 1 : await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
    }

    /// <summary>
    /// Walks the whole trail in sequence order, reports the first entry that is missing, changed, re-hashed or out of
    /// place, and checks the trail against every valid signed head in <paramref name="heads"/> (and reports each line
    /// that is not one). Entries up to the heads' <see cref="AuditHead.LegacyThrough"/> are checked by the rules of the
    /// plain chain; with no valid head, none are: every entry must then carry a keyed hash.
    /// </summary>
    public static async Task<ChainReport> VerifyAsync(ClinicDbContext db, AuditKeyRing keys, IReadOnlyList<HeadLine> heads,
        CancellationToken cancellationToken = default)
    {
        var problems = new List<ChainProblem>();
        problems.AddRange(heads.Where(h => !h.Valid).Select(h => new ChainProblem(h.Head?.Sequence ?? 0, h.Problem!)));
        var valid = heads.Where(h => h.Valid).Select(h => h.Head!).ToList();
        var legacyThrough = valid.Count > 0 ? valid[0].LegacyThrough : 0;
        // The hashes at the heads' sequence numbers, found on the way.
        var anchored = valid.Select(h => h.Sequence).Where(s => s > 0).ToHashSet();
        var found = new Dictionary<long, string?>();

        long entries = 0, legacy = 0, unhashed = 0, previousSequence = 0, intactThrough = 0;
        string? previousHash = null, lastHash = null;
        var legacyChained = false;
        ChainProblem? broken = null;
        await foreach (var entry in db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            entries++;
            lastHash = entry.Hash;
            if (anchored.Contains(entry.Sequence)) found[entry.Sequence] = entry.Hash;
            if (entry.Sequence <= legacyThrough) legacy++;
            if (broken is null)
            {
                broken = Check(entry);
                if (broken is null) intactThrough = entry.Sequence;
            }
            previousSequence = entry.Sequence;
            if (entry.Hash is not null) previousHash = entry.Hash;
        }
        if (broken is not null) problems.Add(broken);

        var last = valid.Count == 0 ? null : valid.MaxBy(h => (h.Sequence, h.At));
        if (valid.Where(h => h.Sequence > previousSequence).MaxBy(h => h.Sequence) is { } beyond)
            problems.Add(new ChainProblem(previousSequence + 1, previousSequence + 1 == beyond.Sequence
                ? $"Entry {beyond.Sequence} is missing from the end of the trail: the signed head of {beyond.At:yyyy-MM-dd HH:mm} UTC records it, and the trail now ends at entry {previousSequence}. It was cut off."
                : $"Entries {previousSequence + 1} to {beyond.Sequence} are missing from the end of the trail: the signed head of {beyond.At:yyyy-MM-dd HH:mm} UTC records entry {beyond.Sequence}, and the trail now ends at entry {previousSequence}. They were cut off."));
        foreach (var head in valid.Where(h => h.Sequence > 0 && found.TryGetValue(h.Sequence, out var hash) && hash != h.Hash).DistinctBy(h => h.Sequence))
            problems.Add(new ChainProblem(head.Sequence,
                $"Entry {head.Sequence} is not the entry the signed head of {head.At:yyyy-MM-dd HH:mm} UTC records: its hash differs. It was replaced, or the trail was rewritten from there."));
        foreach (var head in valid.Where(h => h.Sequence > 0 && h.Sequence <= previousSequence && !found.ContainsKey(h.Sequence)).DistinctBy(h => h.Sequence))
            problems.Add(new ChainProblem(head.Sequence, $"Entry {head.Sequence}, recorded by the signed head of {head.At:yyyy-MM-dd HH:mm} UTC, is missing: it was deleted."));

        return new ChainReport(entries, legacy, unhashed, [.. problems.OrderBy(p => p.Sequence).DistinctBy(p => p.Text)], intactThrough,
            previousSequence, lastHash, last, heads.Count);

        ChainProblem? Check(AuditEntry entry)
        {
            var expected = previousSequence + 1;
            if (entry.Sequence != expected)
                return new ChainProblem(expected, entry.Sequence > expected
                    ? expected == entry.Sequence - 1 ? $"Entry {expected} is missing: it was deleted." : $"Entries {expected} to {entry.Sequence - 1} are missing: they were deleted."
                    : $"Entry {entry.Sequence} is out of place: expected entry {expected}.");
            if (entry.Sequence <= legacyThrough)
            {
                // An entry from before the keyed chain: checked as the plain chain was. Its end is held by the first keyed entry,
                // whose keyed hash covers the last plain one's hash.
                if (entry.Hash is null)
                {
                    if (legacyChained) return new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} has no hash: it was not written by the app.");
                    unhashed++;
                    return null;
                }
                legacyChained = true;
                if (entry.PreviousHash != previousHash)
                    return new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} does not follow the entry before it: that entry was changed or replaced.");
                return LegacyHashOf(entry) != entry.Hash
                    ? new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} was changed after it was written: its contents no longer match its hash.")
                    : null;
            }
            if (entry.Hash is null)
                return new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} has no hash: every entry of the keyed chain (from entry {legacyThrough + 1}) must have one. It was blanked or written outside the app.");
            if (entry.KeyId is null)
                return new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} has a hash made without the chain key: it was written or re-hashed outside the app.");
            if (keys.Find(entry.KeyId) is not { } key)
                return new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} is signed with key '{entry.KeyId}', which is not configured: it cannot be checked. Add that key to Audit:ChainKeys, or the entry was not written by the app.");
            if (entry.PreviousHash != previousHash)
                return new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} does not follow the entry before it: that entry was changed or replaced.");
            return HashOf(entry, key) != entry.Hash
                ? new ChainProblem(entry.Sequence, $"Entry {entry.Sequence} was changed after it was written: its contents no longer match its keyed hash.")
                : null;
        }
    }
}
