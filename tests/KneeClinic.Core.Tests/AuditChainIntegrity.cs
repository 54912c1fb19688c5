using KneeClinic.Core.Audit;
using KneeClinic.Core.Patients;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Core.Tests;

/// <summary>
/// The keyed hash chain over a real SQLite file: every save links its entries to the last one, and a walk along the
/// chain, checked against signed heads, names the first entry that was changed, deleted, re-hashed without the key or
/// cut off the end, and every head that was forged. (This file is made with
/// EnsureCreated, so it has no append-only triggers; the Web tests check those on the migrated database.)
/// </summary>
public sealed class AuditChainIntegrity : IDisposable
{
    private readonly SqliteDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task SavePatientsAsync(int count, string mrn = "MRN")
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = _database.Open();
            db.Patients.Add(new Patient(Mrn.Of($"{mrn}-{i}"), "Zoë", $"Chain {i}", new DateOnly(1970, 5, 1), Sex.Female, _database.Clock.GetUtcNow()));
            db.AuditEntries.Add(AuditEntry.Event(AuditAction.Viewed, "Patient", $"viewed-{i}"));
            await db.SaveChangesAsync();
            _database.Clock.Advance(TimeSpan.FromSeconds(1.2345678));
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = _database.Open();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private async Task<ChainReport> VerifyAsync(AuditKeyRing? keys = null, params string[] heads)
    {
        keys ??= _database.Keys;
        await using var db = _database.Open();
        return await AuditChain.VerifyAsync(db, keys, [.. heads.Select((line, i) => AuditHead.Read(i + 1, line, keys))]);
    }

    /// <summary>A signed head of the trail as it is now, as the heads file holds it.</summary>
    private async Task<string> HeadAsync(long legacyThrough = 0)
    {
        await using var db = _database.Open();
        var tail = await db.AuditEntries.OrderByDescending(e => e.Sequence).FirstAsync();
        return AuditHead.Sign(_database.Keys, tail.Sequence, tail.Hash, _database.Clock.GetUtcNow(), legacyThrough).ToLine();
    }

    [Fact]
    public async Task EntriesAreNumberedWithoutGapsAndEachHoldsTheHashOfTheOneBefore()
    {
        await SavePatientsAsync(5);

        await using var db = _database.Open();
        var entries = await db.AuditEntries.OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Null(entries[0].PreviousHash);
        Assert.All(entries.Skip(1).Zip(entries), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        Assert.All(entries, e => Assert.Equal(AuditChain.HashOf(e, TestKeys.A), e.Hash));
        Assert.All(entries, e => Assert.Equal("key-a", e.KeyId));
        Assert.All(entries, e => Assert.Equal("user-1", e.UserId));
        // The patient's own entries name the patient, so a patient's trail can be found.
        Assert.All(entries.Where(e => e.Entity == nameof(Patient) && e.Action == AuditAction.Created), e => Assert.Equal(Guid.Parse(e.EntityId), e.PatientId));

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(10, report.Entries);
        Assert.Equal(10, report.LastSequence);
        Assert.Equal(entries[^1].Hash, report.LastHash);
    }

    [Theory]
    [InlineData("UPDATE AuditEntries SET EntityId = EntityId || 'x' WHERE Sequence = 5", 5, "was changed after it was written")]
    [InlineData("UPDATE AuditEntries SET UserName = 'someone.else@clinic.test' WHERE Sequence = 3", 3, "was changed after it was written")]
    [InlineData("UPDATE AuditEntries SET At = At + 2048 WHERE Sequence = 8", 8, "was changed after it was written")]
    [InlineData("DELETE FROM AuditEntries WHERE Sequence = 4", 4, "Entry 4 is missing: it was deleted")]
    [InlineData("DELETE FROM AuditEntries WHERE Sequence IN (1, 2)", 1, "Entries 1 to 2 are missing")]
    [InlineData("UPDATE AuditEntries SET Hash = NULL WHERE Sequence = 6", 6, "has no hash")]
    [InlineData("UPDATE AuditEntries SET Hash = NULL, PreviousHash = NULL, KeyId = NULL", 1, "has no hash")]
    [InlineData("UPDATE AuditEntries SET KeyId = NULL WHERE Sequence = 7", 7, "made without the chain key")]
    [InlineData("UPDATE AuditEntries SET KeyId = 'key-z' WHERE Sequence = 2", 2, "signed with key 'key-z', which is not configured")]
    public async Task AnEntryChangedOrDeletedInTheFileIsReportedWhereItHappened(string tampering, long brokenAt, string problem)
    {
        await SavePatientsAsync(5);
        Assert.True((await VerifyAsync()).Intact);

        await ExecuteAsync(tampering);

        var report = await VerifyAsync();
        Assert.False(report.Intact);
        Assert.Equal(brokenAt, report.BrokenAt);
        Assert.Contains(problem, report.Problem);
    }

    [Theory]
    [InlineData("plain", "made without the chain key")]
    [InlineData("wrong key", "was changed after it was written")]
    public async Task AnEntryReattributedAndRehashedWithoutTheKeyIsReportedAtThatEntry(string rehash, string problem)
    {
        await SavePatientsAsync(3);
        await using (var db = _database.Open())
        {
            // Someone with the file gives entry 2 to another user and a hash that matches its new contents: plain SHA-256,
            // or HMAC under a key of their own with the entry's key id, and re-hashes every entry after it the same way.
            var entries = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            var previous = entries[0].Hash;
            var forgerKey = AuditKeyRing.NewKey();
            foreach (var entry in entries.Skip(1))
            {
                var forged = AuditEntry.Event(entry.Action, entry.Entity, entry.EntityId, entry.PatientId, entry.NewValues,
                    entry.Sequence == 2 ? "intruder" : entry.UserId, entry.Sequence == 2 ? "intruder@clinic.test" : entry.UserName);
                Set(forged, nameof(AuditEntry.At), entry.At);
                Set(forged, nameof(AuditEntry.Sequence), entry.Sequence);
                Set(forged, nameof(AuditEntry.PreviousHash), previous);
                Set(forged, nameof(AuditEntry.KeyId), rehash == "plain" ? null : entry.KeyId);
                var hash = rehash == "plain" ? AuditChain.LegacyHashOf(forged) : AuditChain.HashOf(forged, forgerKey);
                await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET UserId = {forged.UserId}, UserName = {forged.UserName}, PreviousHash = {previous}, Hash = {hash}, KeyId = {forged.KeyId} WHERE Sequence = {entry.Sequence}");
                previous = hash;
            }
        }

        var report = await VerifyAsync();
        Assert.Equal(2, report.BrokenAt);
        Assert.Contains(problem, report.Problem);
        Assert.Equal(1, report.IntactThrough);
    }

    private static void Set(AuditEntry entry, string property, object? value) => typeof(AuditEntry).GetProperty(property)!.SetValue(entry, value);

    [Fact]
    public async Task EntriesFromBeforeTheKeyedChainAreAcceptedOnlyWhereTheSignedHeadSaysTheKeyedChainBegan()
    {
        // As an earlier version leaves a database: two entries from before any chain (no hash), then two of the plain chain.
        await ExecuteAsync("""
            INSERT INTO AuditEntries (Sequence, At, UserName, Entity, EntityId, Action) VALUES (1, 0, 'system', 'Patient', 'a', 'Created');
            INSERT INTO AuditEntries (Sequence, At, UserName, Entity, EntityId, Action) VALUES (2, 0, 'system', 'Patient', 'b', 'Created');
            INSERT INTO AuditEntries (Sequence, At, UserName, Entity, EntityId, Action) VALUES (3, 0, 'system', 'Patient', 'c', 'Created');
            INSERT INTO AuditEntries (Sequence, At, UserName, Entity, EntityId, Action) VALUES (4, 0, 'system', 'Patient', 'd', 'Created');
            """);
        await using (var db = _database.Open())
        {
            string? previous = null;
            foreach (var entry in await db.AuditEntries.AsNoTracking().Where(e => e.Sequence >= 3).OrderBy(e => e.Sequence).ToListAsync())
            {
                Set(entry, nameof(AuditEntry.PreviousHash), previous);
                var hash = AuditChain.LegacyHashOf(entry);
                await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET PreviousHash = {previous}, Hash = {hash} WHERE Sequence = {entry.Sequence}");
                previous = hash;
            }
        }
        // On its first start with a key the app writes a head saying the keyed chain begins after entry 4.
        await using (var db = _database.Open())
            Assert.Equal(4, await AuditChain.LegacyThroughAsync(db));
        var start = await HeadAsync(legacyThrough: 4);
        await SavePatientsAsync(2);

        var report = await VerifyAsync(null, start);
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(4, report.Legacy);
        Assert.Equal(2, report.Unhashed);
        Assert.Equal(8, report.LastSequence);

        // Without that head, nothing is taken as legacy: an entry with no keyed hash is an error.
        var unanchored = await VerifyAsync();
        Assert.Equal(1, unanchored.BrokenAt);
        Assert.Contains("has no hash", unanchored.Problem);

        // A legacy entry re-attributed and re-hashed (plain SHA-256 needs no key) is not the entry the start head records,
        // and breaks the first keyed entry, whose keyed hash holds the last legacy one's.
        await using (var db = _database.Open())
        {
            var entry = await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == 4);
            Set(entry, nameof(AuditEntry.UserName), "intruder");
            var hash = AuditChain.LegacyHashOf(entry);
            await db.Database.ExecuteSqlAsync($"UPDATE AuditEntries SET UserName = 'intruder', Hash = {hash} WHERE Sequence = 4");
        }
        var rewritten = await VerifyAsync(null, start);
        Assert.Equal(4, rewritten.BrokenAt);
        Assert.Contains("is not the entry the signed head", rewritten.Problem);
        Assert.Contains(rewritten.Problems, p => p.Sequence == 5 && p.Text.Contains("does not follow the entry before it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntriesCutOffTheEndAreReportedFromTheSignedHead()
    {
        await SavePatientsAsync(5);
        var head = await HeadAsync();
        Assert.True((await VerifyAsync(null, head)).Intact);

        await ExecuteAsync("DELETE FROM AuditEntries WHERE Sequence > 7");

        var report = await VerifyAsync(null, head);
        Assert.Equal(8, report.BrokenAt);
        Assert.Contains("Entries 8 to 10 are missing from the end of the trail", report.Problem);
        // The chain that is left is whole: without the head nothing would show.
        Assert.True((await VerifyAsync()).Intact);
    }

    [Fact]
    public async Task AnEntryReplacedAtTheHeadsPlaceIsReported()
    {
        await SavePatientsAsync(3);
        var head = await HeadAsync();
        // The last entry given another hash of the right form: only the head can tell (the chain would at the next save).
        await ExecuteAsync($"UPDATE AuditEntries SET Hash = '{new string('0', 64)}' WHERE Sequence = 6");

        var report = await VerifyAsync(null, head);
        Assert.Equal(6, report.BrokenAt);
        Assert.Contains(report.Problems, p => p.Text.Contains("is not the entry the signed head", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AForgedOrDamagedHeadLineIsReported()
    {
        await SavePatientsAsync(3);
        var head = await HeadAsync();
        var claimed = AuditHead.Read(1, head, _database.Keys).Head!;
        // A head moved back to hide later deletions, keeping the signature; one signed with a key of the forger's own
        // under the app's key id; one naming a key the app does not have; and a line that is not a head.
        var movedBack = (claimed with { Sequence = 2 }).ToLine();
        var ownKey = AuditHead.Sign(TestKeys.Ring("key-a", TestKeys.B), 9, null, _database.Clock.GetUtcNow(), 0).ToLine();
        var unknown = AuditHead.Sign(TestKeys.Ring("key-q", TestKeys.B), 4, null, _database.Clock.GetUtcNow(), 0).ToLine();

        var report = await VerifyAsync(null, head, movedBack, ownKey, unknown, "{\"sequence\": 1");

        Assert.False(report.Intact);
        Assert.Equal([0, 2, 4, 9], report.Problems.Select(p => p.Sequence));
        Assert.Contains("Line 5 of the heads file cannot be read", report.Problems[0].Text);
        Assert.Contains("Line 2 of the heads file (entry 2", report.Problems[1].Text);
        Assert.Contains("does not carry a valid signature", report.Problems[1].Text);
        Assert.Contains("key 'key-q', which is not configured", report.Problems[2].Text);
        Assert.Contains("does not carry a valid signature", report.Problems[3].Text);
        Assert.Equal(6, report.LatestHead!.Sequence);
    }

    [Fact]
    public async Task AfterARotationEntriesUnderTheOldAndTheNewKeyBothVerify()
    {
        await SavePatientsAsync(2);
        _database.Keys = TestKeys.Ring("key-b", TestKeys.B, ("key-a", TestKeys.A));
        await SavePatientsAsync(2, "ROTATED");

        await using (var db = _database.Open())
            Assert.Equal(["key-a", "key-a", "key-a", "key-a", "key-b", "key-b", "key-b", "key-b"],
                await db.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.KeyId!).ToListAsync());
        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(8, report.Entries);

        // The old key dropped too soon: its entries cannot be checked, and the check says which key is missing.
        var withoutOld = await VerifyAsync(TestKeys.Ring("key-b", TestKeys.B));
        Assert.Equal(1, withoutOld.BrokenAt);
        Assert.Contains("signed with key 'key-a', which is not configured", withoutOld.Problem);
    }

    [Fact]
    public async Task ConcurrentSavesOnOneFileStillFormOneUnbrokenChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                await using var db = _database.Open();
                db.Patients.Add(new Patient(Mrn.Of($"W{w}-{i}"), "Par", $"Allel {w}-{i}", new DateOnly(1980, 1, 1), Sex.Male, _database.Clock.GetUtcNow()));
                await db.SaveChangesAsync();
            }
        })));

        var report = await VerifyAsync();
        Assert.True(report.Intact, report.Problem);
        Assert.Equal(120, report.Entries);
        Assert.Equal(120, report.LastSequence);
    }

    [Fact]
    public async Task SavingOutsideItsOwnTransactionIsRefusedRatherThanLeftUnchained()
    {
        await using var db = _database.Open();
        db.Patients.Add(new Patient(Mrn.Of("MRN-SYNC"), "Syn", "Chronous", new DateOnly(1970, 1, 1), Sex.Male, _database.Clock.GetUtcNow()));
        Assert.Throws<NotSupportedException>(() => db.SaveChanges());
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task ADataProtectionKeyIsSavedSynchronouslyAloneAndNeverEntersTheTrail()
    {
        // ASP.NET Core's key ring repository saves new keys with SaveChanges: that save alone goes through.
        await using (var db = _database.Open())
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-1", Xml = "<key><masterKey>c2VjcmV0</masterKey></key>" });
            Assert.Equal(1, db.SaveChanges());
        }
        // A key slipped into an ordinary save is stored, and left out of the trail as well.
        await using (var db = _database.Open())
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-2", Xml = "<key><masterKey>c2VjcmV0</masterKey></key>" });
            db.Patients.Add(new Patient(Mrn.Of("MRN-KEY"), "Kay", "Ring", new DateOnly(1970, 1, 1), Sex.Female, _database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        // A key and anything else together may not be saved synchronously: the rest would escape the trail.
        await using (var db = _database.Open())
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-3", Xml = "<key/>" });
            db.Patients.Add(new Patient(Mrn.Of("MRN-KEY-2"), "Kay", "Ring", new DateOnly(1970, 1, 1), Sex.Female, _database.Clock.GetUtcNow()));
            Assert.Throws<NotSupportedException>(() => db.SaveChanges());
        }

        await using var check = _database.Open();
        Assert.Equal(["key-1", "key-2"], await check.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.FriendlyName!).ToListAsync());
        var trail = await check.AuditEntries.Select(e => new { e.Entity, Values = e.NewValues ?? "" }).ToListAsync();
        Assert.Equal(["Patient"], trail.Select(e => e.Entity));
        Assert.DoesNotContain(trail, e => e.Values.Contains("masterKey", StringComparison.Ordinal));
        Assert.True((await AuditChain.VerifyAsync(check, _database.Keys, [])).Intact);
        SqliteConnection.ClearAllPools();
    }
}
