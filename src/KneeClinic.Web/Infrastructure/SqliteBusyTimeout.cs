using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Lets SQLite itself wait for another writer's lock. Microsoft.Data.Sqlite retries a busy statement after sleeping
/// 150 ms each time, so two saves that meet wait 150 ms even when the lock is released at once; SQLite's own busy
/// handler (PRAGMA busy_timeout) retries within milliseconds. The driver's own loop stays behind it for the rest of
/// the command timeout.
/// <para>
/// The setting belongs to SQLite's own connection, which the pool keeps open between uses, while EF Core opens and
/// closes its connection around every query: so it is set once per pooled connection (known by its native handle),
/// not once per query, which was one statement more for each statement a page ran.
/// </para>
/// <para>
/// While <see cref="SqliteCheckpoints"/> runs (the web app), a connection also stops checkpointing the write-ahead log
/// itself: otherwise the commit that takes the log past its limit copies it into the database file there and then,
/// and every page view waiting on that commit (the audit trail's group commit) waits for the copy too.
/// </para>
/// </summary>
public sealed class SqliteBusyTimeout(int milliseconds) : DbConnectionInterceptor
{
    private readonly string _busy = $"PRAGMA busy_timeout = {milliseconds};";
    private volatile bool _checkpointsInBackground;

    /// <summary>Set while a background task checkpoints the log: from then on each connection, at its next open, leaves checkpoints to it.</summary>
    public bool CheckpointsInBackground { get => _checkpointsInBackground; set => _checkpointsInBackground = value; }

    // For each pooled connection (by its native handle), whether its settings were made with checkpoints left to the
    // background task; a connection first set up before that task started is set up once more.
    private readonly ConditionalWeakTable<object, object> _set = [];
    private static readonly object Plain = new(), InBackground = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Settings(connection, out var handle, out var mode) is not { } pragma) return;
        using var command = connection.CreateCommand();
        command.CommandText = pragma;
        command.ExecuteNonQuery();
        if (handle is not null) _set.AddOrUpdate(handle, mode);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Settings(connection, out var handle, out var mode) is not { } pragma) return;
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (handle is not null) _set.AddOrUpdate(handle, mode);
    }

    /// <summary>The statement that sets this connection up, or null when it already is.</summary>
    private string? Settings(DbConnection connection, out object? handle, out object mode)
    {
        var background = _checkpointsInBackground;
        mode = background ? InBackground : Plain;
        handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && _set.TryGetValue(handle, out var done) && (done == InBackground || !background)) return null;
        return background ? _busy + " PRAGMA wal_autocheckpoint = 0;" : _busy;
    }
}
