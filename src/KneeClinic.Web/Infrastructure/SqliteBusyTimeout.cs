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
/// </summary>
public sealed class SqliteBusyTimeout(int milliseconds) : DbConnectionInterceptor
{
    private readonly string _pragma = $"PRAGMA busy_timeout = {milliseconds};";
    private readonly ConditionalWeakTable<object, object> _set = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!FirstUse(connection, out var handle)) return;
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
        _set.TryAdd(handle!, handle!);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstUse(connection, out var handle)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
        _set.TryAdd(handle!, handle!);
    }

    private bool FirstUse(DbConnection connection, out object? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !_set.TryGetValue(handle, out _);
    }
}
