using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Lets SQLite itself wait for another writer's lock. Microsoft.Data.Sqlite retries a busy statement after sleeping
/// 150 ms each time, so two saves that meet wait 150 ms even when the lock is released at once; SQLite's own busy
/// handler (PRAGMA busy_timeout) retries within milliseconds. The driver's own loop stays behind it for the rest of
/// the command timeout.
/// </summary>
public sealed class SqliteBusyTimeout(int milliseconds) : DbConnectionInterceptor
{
    private readonly string _pragma = $"PRAGMA busy_timeout = {milliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
