using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Where the data stands (<see cref="LastChange"/>), shared by every request of this instance, so that what is kept in
/// memory (who is signed in with which stamp, the staff directory, the published consent languages, the dashboard's
/// work lists) is checked against it without one more statement per request.
/// <para>
/// A change saved by this instance is seen by the very next request: the save's commit marks the figure stale. A
/// change saved by another instance is seen within <see cref="MostStale"/>, the longest this figure is used without
/// reading it again (one indexed statement, a few times a second at most, whatever the load).
/// </para>
/// </summary>
public sealed class DataChanges(IMemoryCache cache) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    /// <summary>How long a figure kept by <see cref="KeptAsync"/> is used at most: a change made outside the app (straight in the database, which the audit trail does not see) shows within this time.</summary>
    public static readonly TimeSpan OutsideChangeSeenWithin = TimeSpan.FromMinutes(1);

    private sealed record Kept<T>(long? LastChange, T Value);

    /// <summary>
    /// What <paramref name="read"/> reads, kept in memory under <paramref name="key"/> until the next change saved: read
    /// again only once the data has changed (here at once, elsewhere within <see cref="MostStale"/>).
    /// </summary>
    public async Task<T> KeptAsync<T>(ClinicDbContext db, object key, Func<Task<T>> read)
    {
        // Where the data stands is taken before the read: a change committed in between makes the next request read again.
        var lastChange = await LastChangeAsync(db);
        if (cache.TryGetValue(key, out Kept<T>? kept) && kept!.LastChange == lastChange) return kept.Value;
        var value = await read();
        cache.Set(key, new Kept<T>(lastChange, value), OutsideChangeSeenWithin);
        return value;
    }

    /// <summary>The longest a change made on another instance goes unseen here.</summary>
    public static readonly TimeSpan MostStale = TimeSpan.FromMilliseconds(100);

    private sealed record Reading(long? LastChange, long ReadAt, long Generation);

    private Reading? _reading;
    private long _generation;

    // Contexts that saved a change in a transaction not yet committed: the change counts once it is committed.
    private readonly ConditionalWeakTable<DbContext, object> _saving = [];

    /// <summary>The sequence number of the last change in the audit trail (null on an empty trail), as of at most <see cref="MostStale"/> ago.</summary>
    public async ValueTask<long?> LastChangeAsync(ClinicDbContext db, CancellationToken cancellationToken = default)
    {
        var generation = Interlocked.Read(ref _generation);
        if (Volatile.Read(ref _reading) is { } kept && kept.Generation == generation && Stopwatch.GetElapsedTime(kept.ReadAt) < MostStale)
            return kept.LastChange;
        // Timed from before the read, and under the generation seen before it: a change committed here meanwhile makes
        // this reading stale at once.
        var readAt = Stopwatch.GetTimestamp();
        var lastChange = await LastChange.ReadAsync(db, cancellationToken);
        Volatile.Write(ref _reading, new Reading(lastChange, readAt, generation));
        return lastChange;
    }

    /// <summary>Something was changed here: the next request reads where the data stands again.</summary>
    public void Changed() => Interlocked.Increment(ref _generation);

    InterceptionResult<int> ISaveChangesInterceptor.SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    ValueTask<InterceptionResult<int>> ISaveChangesInterceptor.SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    int ISaveChangesInterceptor.SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SavedWithoutTransaction(eventData.Context);
        return result;
    }

    ValueTask<int> ISaveChangesInterceptor.SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken)
    {
        SavedWithoutTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    // A save of audit events alone (views, downloads, sign-ins) changes no data: it does not move the last change.
    private void Saving(DbContext? context)
    {
        if (context is null) return;
        if (context.ChangeTracker.Entries().Any(e => e.Entity is not AuditEntry && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
            _saving.AddOrUpdate(context, this);
    }

    private void SavedWithoutTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null) Committed(context);
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _saving.Remove(context)) Changed();
    }

    private void Forget(DbContext? context)
    {
        if (context is not null) _saving.Remove(context);
    }
}
