using System.Text;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The signed heads of the audit trail, one JSON line each, appended to one file in a folder outside the database
/// (<see cref="AuditOptions.HeadsFolder"/>): folder 0700, file 0600, never rewritten. Several instances may append:
/// each takes the file's exclusive lock for its one write. The operator copies the file off-site; a check of the chain
/// compares the trail with every head in it.
/// </summary>
public sealed class AuditHeads(AuditKeyRing keys, IOptions<AuditOptions> options, IConfiguration configuration, IHostEnvironment environment,
    TimeProvider clock) : IDisposable
{
    public const string FileName = "audit-heads.jsonl";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The heads folder: Audit:HeadsFolder, or "audit-heads" beside the data folder.</summary>
    public string Folder { get; } = !string.IsNullOrWhiteSpace(options.Value.HeadsFolder)
        ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.HeadsFolder))
        : Path.Combine(Path.GetDirectoryName(DatabaseSetup.DataDirectory(configuration, environment).TrimEnd(Path.DirectorySeparatorChar))!, "audit-heads");

    public string FilePath => Path.Combine(Folder, FileName);

    /// <summary>Every line of the heads file, each checked against the key ring; none when there is no file yet.</summary>
    public async Task<IReadOnlyList<HeadLine>> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(FilePath)) return [];
        var text = await WithFileAsync(() =>
        {
            using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }, cancellationToken);
        return [.. text.Split('\n').Select((line, i) => (Line: line.TrimEnd('\r'), Number: i + 1)).Where(l => l.Line.Length > 0)
            .Select(l => AuditHead.Read(l.Number, l.Line, keys))];
    }

    /// <summary>
    /// Signs the trail's last entry as it is now and appends it to the heads file. Where the keyed chain began is taken
    /// from the first valid head; with none yet (a new database, or one from before the keyed chain), from the trail.
    /// </summary>
    public async Task<AuditHead> WriteAsync(ClinicDbContext db, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var lines = await ReadAsync(cancellationToken);
            var legacyThrough = lines.FirstOrDefault(l => l.Valid)?.Head!.LegacyThrough ?? await AuditChain.LegacyThroughAsync(db, cancellationToken);
            var tail = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
            var head = AuditHead.Sign(keys, tail?.Sequence ?? 0, tail?.Hash, clock.GetUtcNow(), legacyThrough);
            var bytes = Encoding.UTF8.GetBytes(head.ToLine() + "\n");
            PrivateFiles.Folder(Folder);
            await WithFileAsync(() =>
            {
                // FileShare.None takes the file's exclusive lock (flock on Unix) for this one write, so two instances'
                // lines never mix; the write goes at the end as the file is when the lock is held.
                var create = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) create.UnixCreateMode = PrivateFiles.FileMode;
                using var stream = new FileStream(FilePath, create);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
                return 0;
            }, cancellationToken);
            return head;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks the whole trail, and the trail against every head in the heads file.</summary>
    public async Task<ChainReport> VerifyAsync(ClinicDbContext db, CancellationToken cancellationToken = default) =>
        await AuditChain.VerifyAsync(db, keys, await ReadAsync(cancellationToken), cancellationToken);

    public void Dispose() => _gate.Dispose();

    // Another instance holding the file's lock for its write is waited for, briefly.
    private static async Task<T> WithFileAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return work();
            }
            catch (IOException) when (attempt < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
    }
}

/// <summary>
/// Writes a signed head of the audit trail at start and then every <see cref="AuditOptions.HeadInterval"/> of real time
/// (the wait is on the system clock: the app's clock, which the tests move by days, only stamps the head).
/// </summary>
public sealed class AuditHeadWriter(IServiceScopeFactory scopes, AuditHeads heads, IOptions<AuditOptions> options, ILogger<AuditHeadWriter> logger)
    : BackgroundService
{
    /// <summary>After a failed write (the database or the folder not reachable), the next try comes this soon.</summary>
    private static readonly TimeSpan Retry = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = options.Value.HeadInterval;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var head = await heads.WriteAsync(scope.ServiceProvider.GetRequiredService<ClinicDbContext>(), stoppingToken);
                logger.LogInformation("Signed head of the audit trail written: entry {Sequence}.", head.Sequence);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                next = next < Retry ? next : Retry;
                logger.LogError(e, "The signed head of the audit trail could not be written to {Folder}; trying again in {Retry}.", heads.Folder, next);
            }
            try
            {
                await Task.Delay(next, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
