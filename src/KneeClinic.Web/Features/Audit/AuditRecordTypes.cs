using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Audit;

/// <summary>
/// The record types the audit filter offers, without a pass over the whole trail on every page (SELECT DISTINCT read
/// every entry, and the trail only grows). The names this version writes come from its model and its own events, so they
/// cost nothing and every instance offers a new one at once. Names in the trail that no longer come from the model (a
/// type renamed or removed, or written by an older version still running beside this one) stay findable: they are read
/// from the trail itself, one index seek per name on (Entity, Sequence), at most every few minutes per instance, so only
/// such a name can be late to appear, and never by more than <see cref="Refresh"/>.
/// </summary>
public sealed class AuditRecordTypes : IDisposable
{
    /// <summary>How long the names read from the trail are reused.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMinutes(5);

    /// <summary>Events recorded under a name of their own rather than a record type of the model.</summary>
    private static readonly string[] EventNames = ["Account", "DemoData", .. Infrastructure.AuditReads.ListPages.All];

    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _stored;

    private sealed record Snapshot(IReadOnlyList<string> Names, long ReadAt);

    public async Task<IReadOnlyList<string>> NamesAsync(ClinicDbContext db, CancellationToken cancellationToken = default)
    {
        var stored = _stored;
        if (stored is null || Environment.TickCount64 - stored.ReadAt > (long)Refresh.TotalMilliseconds)
        {
            // One request reads; the others go on with the names they have (or wait for the first list).
            if (stored is null) await _reading.WaitAsync(cancellationToken);
            else if (!_reading.Wait(0, cancellationToken)) return stored.Names;
            try
            {
                stored = _stored;
                if (stored is null || Environment.TickCount64 - stored.ReadAt > (long)Refresh.TotalMilliseconds)
                {
                    var known = AuditInterceptor.RecordNames(db.Model).Concat(EventNames);
                    var inTrail = await InTrailAsync(db, cancellationToken);
                    _stored = stored = new Snapshot([.. known.Concat(inTrail).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], Environment.TickCount64);
                }
            }
            finally
            {
                _reading.Release();
            }
        }
        return stored.Names;
    }

    public void Dispose() => _reading.Dispose();

    /// <summary>Each name in the trail once, by seeking past the previous one in the (Entity, Sequence) index.</summary>
    private static async Task<List<string>> InTrailAsync(ClinicDbContext db, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? last = null;
        while (true)
        {
            var query = db.AuditEntries.AsNoTracking();
            if (last is not null)
            {
                var after = last;
                // Translated to SQL ("Entity" > @after): the database's own order, the one its index is in.
#pragma warning disable CA1309
                query = query.Where(e => string.Compare(e.Entity, after) > 0);
#pragma warning restore CA1309
            }
            var next = await query.OrderBy(e => e.Entity).Select(e => e.Entity).FirstOrDefaultAsync(cancellationToken);
            if (next is null) return names;
            names.Add(next);
            last = next;
        }
    }
}
