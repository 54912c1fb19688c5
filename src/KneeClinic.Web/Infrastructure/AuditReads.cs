using System.Text.Json;
using System.Threading.Channels;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Records who viewed or downloaded what, by group commit. Each save of the trail takes the chain's lock (the tail's
/// sequence number and hash), so a transaction per page view made concurrent readers queue one behind another. Here a
/// request hands its event over and waits; one writer takes every event waiting at that moment, writes them in one
/// transaction under one lock (numbered and chained as any save is; see <see cref="AuditAppend"/>), commits, and only
/// then lets each request go on: a page is answered only once its view is durable, and a failed write fails the page as
/// before. Changes, and events recorded with a change or a sign-in, keep their own transaction (<see cref="AuditRecording"/>).
/// </summary>
public sealed class AuditReads(IServiceScopeFactory scopes, IAuditActor actor, TimeProvider clock, AuditKeyRing keys, ILogger<AuditReads> logger)
    : BackgroundService
{
    /// <summary>At most this many events in one transaction, so a crowd of readers still gets answers in steady steps.</summary>
    public const int MaxBatch = 256;

    /// <summary>
    /// How long the writer waits for more events when the last batch held several. Alone, a view is written at once;
    /// under load, 2 ms turned batches of about 5 views into batches of about 13 and cut the patient list's processor
    /// time per request by a tenth at 50,000 patients (docs/performance.md).
    /// </summary>
    public static readonly TimeSpan GatherWhenBusy = TimeSpan.FromMilliseconds(2);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private long _transactions;
    private long _written;

    /// <summary>Transactions committed so far (a batch written again one by one after a failure counts each).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Events written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>
    /// Writes a view or download event to the trail and completes once it is committed; throws what the write threw.
    /// Call it on the request: the user and client address are taken here, not on the writer's thread.
    /// </summary>
    public Task RecordAsync(AuditEntry entry)
    {
        entry.CaptureActor(actor);
        var pending = new Pending(entry, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
            throw new InvalidOperationException("The app is stopping: the view could not be recorded in the audit trail.");
        return pending.Done.Task;
    }

    /// <summary>A page about one patient, viewed: one entry naming the record it shows and its patient.</summary>
    public Task ViewedAsync(string entity, string entityId, Guid patientId, string? details = null) =>
        RecordAsync(AuditEntry.Event(AuditAction.Viewed, entity, entityId, patientId, details));

    /// <summary>
    /// A page that lists patients (a list, search results, a work list), viewed: one entry under the page's record name
    /// (<see cref="ListPages"/>) with the ids of the patients it listed, never a name or the words searched for (a search
    /// is described, if at all, by ids in <paramref name="filter"/>). The entry names no one patient, even when the list
    /// holds one: a list is not a look at one patient's record.
    /// </summary>
    /// <para>
    /// A part of the page that comes back the same from view to view (<paramref name="kept"/>: the dashboard's work lists)
    /// is written to the trail once, as a <see cref="ListPages.KeptList"/> entry whose id is a digest of its patients, and
    /// each view names that entry (<c>"Kept"</c>) instead of repeating a few hundred ids: the same patients, a tenth of the
    /// writing. Each instance writes such a list once after it starts, before the first view that names it.
    /// </para>
    public async Task ListedAsync(string page, IEnumerable<Guid> patients, object? filter = null, IEnumerable<Guid>? kept = null)
    {
        var ids = patients.Distinct().ToList();
        var keptList = kept is null ? null : await KeptListAsync([.. kept.Distinct().Order()]);
        var details = JsonSerializer.Serialize(new { Patients = ids, Kept = keptList, Filter = filter }, Omitted);
        await RecordAsync(AuditEntry.Event(AuditAction.Viewed, page, "", details: details));
    }

    private static readonly JsonSerializerOptions Omitted = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private const int MaxKeptLists = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task>> _keptLists = new();

    /// <summary>The id of the kept list of these patients, written to the trail first if this instance has not yet written it.</summary>
    private async Task<string?> KeptListAsync(List<Guid> patients)
    {
        if (patients.Count == 0) return null;
        var bytes = new byte[patients.Count * 16];
        for (var i = 0; i < patients.Count; i++) patients[i].TryWriteBytes(bytes.AsSpan(i * 16, 16));
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var entry = AuditEntry.Event(AuditAction.Viewed, ListPages.KeptList, id, details: JsonSerializer.Serialize(new { Patients = patients }));
        // Bounded: past this many lists (each change to the data makes new work lists), forgetting them all costs one more
        // write of each list still shown.
        if (_keptLists.Count > MaxKeptLists) _keptLists.Clear();
        var write = _keptLists.GetOrAdd(id, _ => new Lazy<Task>(() => RecordAsync(entry)));
        try
        {
            await write.Value;
        }
        catch
        {
            // Not written: the next view writes it again (this one fails, as a view that cannot be recorded does).
            _keptLists.TryRemove(new KeyValuePair<string, Lazy<Task>>(id, write));
            throw;
        }
        return id;
    }

    /// <summary>The record names under which list pages record their views (<see cref="ListedAsync"/>).</summary>
    public static class ListPages
    {
        public const string Patients = "PatientList";
        public const string Dashboard = "Dashboard";
        public const string ConsentRecords = "ConsentRecordList";
        public const string AuditTrail = "AuditTrail";

        /// <summary>One entry of the trail, opened in the viewer (its values revealed or not).</summary>
        public const string AuditEntry = "AuditTrailEntry";

        /// <summary>Patients a page showed that later views of it name by this entry's id (see <see cref="ListedAsync"/>).</summary>
        public const string KeptList = "KeptPatientList";

        public static readonly IReadOnlyList<string> All = [Patients, Dashboard, ConsentRecords, AuditTrail, AuditEntry, KeptList];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
                await WriteWaitingAsync(batch);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: take no more, and write what is already waiting, so no request is left without an answer.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryPeek(out _))
            await WriteWaitingAsync(batch);
    }

    private async Task WriteWaitingAsync(List<Pending> batch)
    {
        var busy = batch.Count > 1;
        batch.Clear();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
        if (batch.Count == 0) return;
        if (busy && batch.Count < MaxBatch)
        {
            // Under load (the last batch held more than one event), a moment more gathers a bigger batch: fewer
            // transactions, each with its fixed cost (a chain step, a commit that waits for the disk).
            await Task.Delay(GatherWhenBusy);
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
        }
        try
        {
            await SaveAsync(batch);
            foreach (var pending in batch) pending.Done.TrySetResult();
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One event the database refuses must not fail the others that happened to wait with it: each on its own.
            logger.LogWarning(e, "Writing {Count} audit events together failed; writing them one by one.", batch.Count);
            foreach (var pending in batch)
            {
                try
                {
                    // (A fresh copy: the failed save may have left a database id on the one it tried.)
                    await SaveAsync([pending with { Entry = pending.Entry.Unsaved() }]);
                    pending.Done.TrySetResult();
                }
                catch (Exception single)
                {
                    pending.Done.TrySetException(single);
                }
            }
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
        }
    }

    private async Task SaveAsync(List<Pending> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        // One transaction, one chain lock: the batch numbered, stamped and hashed in order, and inserted without change tracking.
        await AuditAppend.WriteAsync(db, [.. batch.Select(p => p.Entry)], actor, clock.GetUtcNow(), keys);
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _written, batch.Count);
    }

    private sealed record Pending(AuditEntry Entry, TaskCompletionSource Done);
}
