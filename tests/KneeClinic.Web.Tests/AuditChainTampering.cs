using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>The test clinic on a given data folder (another instance's, when given) with settings of its own.</summary>
public sealed class KeyedClinic(string? dataDirectory, params (string Key, string Value)[] settings) : ClinicFactory("Testing", dataDirectory)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}

/// <summary>
/// Someone with write access to a copy of the database (not to the chain key, nor to the heads folder) drops the
/// triggers and rewrites the trail: each kind of tampering is reported at the entry where it was done, and a head line
/// that was not signed with the key is reported too.
/// </summary>
public sealed class AuditChainTampering(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<ClinicFactory, Trail> Prepared = [];

    /// <summary>The trail the cases tamper with: a patient created (the entry to re-attribute) and viewed, and a head of its end.</summary>
    private sealed record Trail(long Created, long Last);

    private async Task<Trail> PrepareAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Prepared.TryGetValue(factory, out var ready)) return ready;
            using var clinician = await factory.SignedInAsync(Roles.Clinician);
            var created = await clinician.SubmitAsync(await clinician.GetAsync("/Patients/Create"), "form[action='/Patients/Create']", Fields(
                ("Mrn", "TAMPER-1"), ("GivenName", "Tamara"), ("FamilyName", "Pering"), ("DateOfBirth", "1960-06-06"), ("Sex", "Female")));
            var patientId = created.Location!.Split('/').Last();
            for (var i = 0; i < 3; i++) await clinician.GetAsync($"/Patients/Details/{patientId}");
            await factory.QueryAsync(db => factory.Services.GetRequiredService<AuditHeads>().WriteAsync(db));
            var trail = await factory.QueryAsync(async db => new Trail(
                await db.AuditEntries.Where(e => e.Entity == nameof(Patient) && e.EntityId == patientId && e.Action == AuditAction.Created).Select(e => e.Sequence).SingleAsync(),
                await db.AuditEntries.MaxAsync(e => e.Sequence)));
            return Prepared[factory] = trail;
        }
        finally
        {
            Once.Release();
        }
    }

    /// <summary>A copy of the clinic's database file, made with SQLite's backup while the app runs.</summary>
    private string CopyDatabase()
    {
        var copy = Path.Combine(factory.DataDirectory, $"copy-{Guid.NewGuid():N}.db");
        using var source = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        using var target = new SqliteConnection($"Data Source={copy};Pooling=False");
        source.Open();
        target.Open();
        source.BackupDatabase(target);
        return copy;
    }

    private static ClinicDbContext Open(string file) =>
        new(new DbContextOptionsBuilder<ClinicDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options);

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private AuditKeyRing Keys => factory.Services.GetRequiredService<AuditKeyRing>();

    private async Task<ChainReport> VerifyAsync(string copy, IEnumerable<string> headLines)
    {
        await using var db = Open(copy);
        return await AuditChain.VerifyAsync(db, Keys, [.. headLines.Select((line, i) => AuditHead.Read(i + 1, line, Keys))]);
    }

    /// <summary>Re-attributes the entry to another user and re-hashes it and every entry after it, as someone without the key can.</summary>
    private static async Task ReattributeAsync(string copy, long sequence, bool plain)
    {
        Execute(copy, "DROP TRIGGER AuditEntries_RefuseUpdate");
        await using var db = Open(copy);
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence >= sequence - 1).OrderBy(e => e.Sequence).ToListAsync();
        var previous = entries[0].Hash;
        var ownKey = AuditKeyRing.NewKey();
        foreach (var entry in entries.Skip(1))
        {
            var forged = AuditEntry.Event(entry.Action, entry.Entity, entry.EntityId, entry.PatientId, entry.NewValues,
                entry.Sequence == sequence ? "intruder-id" : entry.UserId, entry.Sequence == sequence ? "intruder@clinic.test" : entry.UserName);
            foreach (var (name, value) in new (string, object?)[]
            {
                (nameof(AuditEntry.At), entry.At), (nameof(AuditEntry.Sequence), entry.Sequence), (nameof(AuditEntry.PreviousHash), previous),
                (nameof(AuditEntry.KeyId), plain ? null : entry.KeyId),
            })
                typeof(AuditEntry).GetProperty(name)!.SetValue(forged, value);
            typeof(AuditEntry).GetProperty(nameof(AuditEntry.ClientAddress))!.SetValue(forged, entry.ClientAddress);
            typeof(AuditEntry).GetProperty(nameof(AuditEntry.OldValues))!.SetValue(forged, entry.OldValues);
            var hash = plain ? AuditChain.LegacyHashOf(forged) : AuditChain.HashOf(forged, ownKey);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE AuditEntries SET UserId = {forged.UserId}, UserName = {forged.UserName}, PreviousHash = {previous}, Hash = {hash}, KeyId = {forged.KeyId}
                WHERE Sequence = {entry.Sequence}
                """);
            previous = hash;
        }
    }

    [Theory]
    [InlineData("delete an entry")]
    [InlineData("re-attribute and re-hash with SHA-256")]
    [InlineData("re-attribute and re-hash with a key of one's own")]
    [InlineData("blank every hash")]
    [InlineData("cut off the end")]
    [InlineData("forge a head")]
    [InlineData("move a head back")]
    public async Task TamperingWithACopyOfTheDatabaseIsReportedWhereItWasDone(string tampering)
    {
        var trail = await PrepareAsync();
        var copy = CopyDatabase();
        var heads = (await File.ReadAllLinesAsync(factory.HeadsFile)).ToList();
        // The copy is whole before anyone touches it.
        Assert.True((await VerifyAsync(copy, heads)).Intact);

        var (brokenAt, problem) = (trail.Created, "");
        switch (tampering)
        {
            case "delete an entry":
                Execute(copy, $"DROP TRIGGER AuditEntries_RefuseDelete; DELETE FROM AuditEntries WHERE Sequence = {trail.Created};");
                problem = $"Entry {trail.Created} is missing: it was deleted.";
                break;
            case "re-attribute and re-hash with SHA-256":
                await ReattributeAsync(copy, trail.Created, plain: true);
                problem = "has a hash made without the chain key";
                break;
            case "re-attribute and re-hash with a key of one's own":
                await ReattributeAsync(copy, trail.Created, plain: false);
                problem = "was changed after it was written";
                break;
            case "blank every hash":
                Execute(copy, "DROP TRIGGER AuditEntries_RefuseUpdate; UPDATE AuditEntries SET Hash = NULL, PreviousHash = NULL, KeyId = NULL;");
                (brokenAt, problem) = (1, "Entry 1 has no hash");
                break;
            case "cut off the end":
                Execute(copy, $"DROP TRIGGER AuditEntries_RefuseDelete; DELETE FROM AuditEntries WHERE Sequence > {trail.Last - 3};");
                (brokenAt, problem) = (trail.Last - 2, $"Entries {trail.Last - 2} to {trail.Last} are missing from the end of the trail");
                break;
            case "forge a head":
                // A head claiming more entries, signed under the app's key id with a key of the forger's own.
                var forger = new AuditKeyRing(Keys.CurrentKeyId, new Dictionary<string, byte[]> { [Keys.CurrentKeyId] = AuditKeyRing.NewKey() });
                heads.Add(AuditHead.Sign(forger, trail.Last + 10, null, DateTimeOffset.UtcNow, 0).ToLine());
                (brokenAt, problem) = (trail.Last + 10, $"Line {heads.Count} of the heads file (entry {trail.Last + 10}");
                break;
            case "move a head back":
                // The last head's line rewritten to an earlier entry, to hide entries cut off after it.
                var last = heads.FindLastIndex(l => l.Contains($"\"sequence\":{trail.Last},", StringComparison.Ordinal));
                heads[last] = heads[last].Replace($"\"sequence\":{trail.Last},", $"\"sequence\":{trail.Last - 3},", StringComparison.Ordinal);
                (brokenAt, problem) = (trail.Last - 3, "does not carry a valid signature");
                break;
        }

        var report = await VerifyAsync(copy, heads);
        output.WriteLine(string.Join(Environment.NewLine, report.Problems.Select(p => $"{p.Sequence}: {p.Text}")));
        Assert.False(report.Intact);
        Assert.Equal(brokenAt, report.BrokenAt);
        Assert.Contains(problem, report.Problem);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task TheVerifyPageShowsEntriesCutOffAfterAHeadWrittenOnDemandAndAForgedHeadLine()
    {
        // A clinic of its own: this test tampers with the live database and heads file.
        await using var clinic = new ClinicFactory();
        using var admin = await clinic.SignedInAsync(Roles.Administrator);
        using var clinician = await clinic.SignedInAsync(Roles.Clinician);
        for (var i = 0; i < 3; i++) await clinician.GetAsync("/Patients");

        // (The trail's page is opened before the tampering: opening it may itself be recorded.)
        var auditPage = await admin.GetAsync("/Audit");
        var verified = await admin.SubmitAsync(auditPage, "#verify-chain");
        Assert.Contains("The chain is intact", verified.Document.QuerySelector("#chain-result")!.TextContent);
        var written = await admin.SubmitAsync(verified, "#write-head");
        Assert.Equal(HttpStatusCode.OK, written.Status);
        var head = written.Document.QuerySelector("#head-written")!.TextContent;
        output.WriteLine(head.Trim());
        var headSequence = long.Parse(System.Text.RegularExpressions.Regex.Match(head, @"entry (\d+)").Groups[1].Value);
        Assert.Contains("The chain is intact", written.Document.QuerySelector("#chain-result")!.TextContent);
        Assert.Contains($"records entry {headSequence}", written.Document.QuerySelector("#chain-anchor")!.TextContent);

        // Someone with the database file drops the trigger and cuts the trail back to before the head; someone else adds a
        // line to the heads file without the key.
        using (var connection = new SqliteConnection($"Data Source={clinic.DatabaseFile};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP TRIGGER AuditEntries_RefuseDelete; DELETE FROM AuditEntries WHERE Sequence > {headSequence - 2};";
            command.ExecuteNonQuery();
        }
        var lines = await File.ReadAllLinesAsync(clinic.HeadsFile);
        await File.AppendAllTextAsync(clinic.HeadsFile, lines[^1].Replace("\"signature\":\"", "\"signature\":\"00", StringComparison.Ordinal) + "\n");

        var broken = await admin.SubmitAsync(auditPage, "#verify-chain");
        var result = broken.Document.QuerySelector("#chain-result")!.TextContent;
        output.WriteLine(result.Trim());
        Assert.Contains($"The chain is broken at entry {headSequence - 1}.", result);
        var problems = broken.Document.QuerySelectorAll("#chain-problems li").Select(li => li.TextContent).ToList();
        Assert.Contains(problems, p => p.Contains($"Entries {headSequence - 1} to {headSequence} are missing from the end of the trail", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains($"Line {lines.Length + 1} of the heads file", StringComparison.Ordinal) && p.Contains("does not carry a valid signature", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception", broken.Text);
    }

    [Fact]
    public async Task AfterAKeyRotationEntriesSignedWithTheOldAndTheNewKeyBothVerify()
    {
        var keyA = Convert.ToBase64String(AuditKeyRing.NewKey());
        var keyB = Convert.ToBase64String(AuditKeyRing.NewKey());
        await using var before = new KeyedClinic(null, ("Audit:ChainKeys:2026-a", keyA));
        using (var clinician = await before.SignedInAsync(Roles.Clinician)) await clinician.GetAsync("/Patients");
        var heads = before.Services.GetRequiredService<AuditHeads>();
        await before.QueryAsync(db => heads.WriteAsync(db));

        // The new key takes over; the old one stays to check what it signed.
        await using var after = new KeyedClinic(before.DataDirectory, ("Audit:ChainKeys:2026-a", keyA), ("Audit:ChainKeys:2026-b", keyB), ("Audit:CurrentKeyId", "2026-b"));
        using (var clinician = await after.SignedInAsync(Roles.Clinician)) await clinician.GetAsync("/Patients");
        var report = await after.QueryAsync(db => after.Services.GetRequiredService<AuditHeads>().VerifyAsync(db));
        Assert.True(report.Intact, report.Problem);
        var used = (await after.QueryAsync(db => db.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.KeyId).ToListAsync())).Distinct();
        Assert.Equal(["2026-a", "2026-b"], used);
        Assert.Equal("2026-a", AuditHead.Read(1, (await File.ReadAllLinesAsync(after.HeadsFile))[0], after.Services.GetRequiredService<AuditKeyRing>()).Head!.KeyId);

        // Dropping the old key too soon: the check names it at the first entry it signed.
        await using var dropped = new KeyedClinic(before.DataDirectory, ("Audit:ChainKeys:2026-b", keyB));
        var withoutOld = await dropped.QueryAsync(db => dropped.Services.GetRequiredService<AuditHeads>().VerifyAsync(db));
        Assert.Equal(1, withoutOld.BrokenAt);
        Assert.Contains("signed with key '2026-a', which is not configured", withoutOld.Problem);
    }

    [Theory]
    [InlineData(null, "Audit:ChainKeys:<id>")]
    [InlineData("c2hvcnQ=", "the audit chain key needs 32 or more")]
    [InlineData("not base64!", "is not base64")]
    public void ProductionDoesNotStartWithoutAUsableChainKey(string? key, string message)
    {
        using var factory = key is null
            ? new ProductionSettingsFactory { ChainKeyInProduction = false }
            : new ProductionSettingsFactory(("Audit:ChainKeys:production-test", key));
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ProductionDoesNotStartWithAKeyFileItCannotRead()
    {
        using var factory = new ProductionSettingsFactory(("Audit:ChainKeyFile", "/nonexistent/audit-chain.key")) { ChainKeyInProduction = false };
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains("Audit:ChainKeyFile '/nonexistent/audit-chain.key' cannot be read", error.Message);
    }

    [Fact]
    public async Task OutsideProductionAKeyIsMadeInTheDataFolderForTheAppAloneAndHeadsAreWrittenAtStart()
    {
        await using var clinic = new ClinicFactory();
        _ = clinic.Services;
        var key = Path.Combine(clinic.DataDirectory, AuditOptions.GeneratedKeyFile);
        Assert.True(File.Exists(key));
        // The head written at start, by the hosted writer.
        // Read as the app reads it: the writer holds the file's exclusive lock while it appends, and the reader waits for it.
        var heads = clinic.Services.GetRequiredService<AuditHeads>();
        var lines = await heads.ReadAsync();
        for (var i = 0; i < 100 && lines.Count == 0; i++)
        {
            await Task.Delay(50);
            lines = await heads.ReadAsync();
        }
        Assert.True(File.Exists(clinic.HeadsFile));
        var first = lines[0];
        Assert.True(first.Valid, first.Problem);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(key));
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(clinic.HeadsFile));
            Assert.Equal(PrivateFiles.FolderMode, File.GetUnixFileMode(clinic.HeadsFolder));
        }
    }

    [Fact]
    public async Task TheCommandWritesAHeadAndItsCheckExitsWithOneWhenTheEndWasCutOff()
    {
        var folder = Directory.CreateTempSubdirectory("kneeclinic-audit-command-").FullName;
        try
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { EnvironmentName = "Production" });
            builder.Configuration["Database:DataDirectory"] = folder;
            builder.Configuration["Clinic:PublicBaseUrl"] = "https://clinic.example";
            builder.Configuration["Audit:ChainKeyFile"] = Path.Combine(folder, "chain.keys");
            builder.Configuration["Audit:HeadsFolder"] = Path.Combine(folder, "heads");
            await File.WriteAllTextAsync(Path.Combine(folder, "chain.keys"), $"# rotated yearly\n2025 {Convert.ToBase64String(AuditKeyRing.NewKey())}\n2026 {Convert.ToBase64String(AuditKeyRing.NewKey())}\n");
            builder.AddKneeClinic();
            await using var app = builder.Build();
            await app.PrepareDatabaseAsync();

            var console = new StringWriter();
            Assert.Equal(0, await AuditChainCommand.RunAsync(app, ["head"], console));
            Assert.Equal(0, await AuditChainCommand.RunAsync(app, ["verify"], console));
            Assert.Equal(2, await AuditChainCommand.RunAsync(app, [], console));
            output.WriteLine(console.ToString());
            Assert.Contains("key '2026'", console.ToString());
            Assert.Contains("The chain is intact.", console.ToString());

            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
                var last = await db.AuditEntries.MaxAsync(e => e.Sequence);
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER AuditEntries_RefuseDelete;");
                await db.Database.ExecuteSqlAsync($"DELETE FROM AuditEntries WHERE Sequence = {last}");
            }
            var check = new StringWriter();
            Assert.Equal(1, await AuditChainCommand.RunAsync(app, ["verify"], check));
            Assert.Contains("missing from the end of the trail", check.ToString());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AHeadsFolderTheAppCannotWriteToIsAMessageOnTheVerifyPageNotAnError()
    {
        var blocked = Path.Combine(Path.GetTempPath(), $"kneeclinic-not-a-folder-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocked, "a file where the heads folder should be");
        try
        {
            await using var clinic = new KeyedClinic(null, ("Audit:HeadsFolder", blocked));
            using var admin = await clinic.SignedInAsync(Roles.Administrator);
            var verified = await admin.SubmitAsync(await admin.GetAsync("/Audit"), "#verify-chain");
            Assert.Contains("No signed head was found", verified.Document.QuerySelector("#chain-anchor")!.TextContent);

            var page = await admin.SubmitAsync(verified, "#write-head");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains("The signed head could not be written", page.Document.QuerySelector("#head-not-written")!.TextContent);
            Assert.Contains("The chain is intact", page.Document.QuerySelector("#chain-result")!.TextContent);
        }
        finally
        {
            File.Delete(blocked);
        }
    }
}
