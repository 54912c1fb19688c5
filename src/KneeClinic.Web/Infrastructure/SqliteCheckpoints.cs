using Microsoft.Data.Sqlite;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Copies SQLite's write-ahead log into the database file once a second, on a connection of its own, so no request's
/// commit does it (see <see cref="SqliteBusyTimeout"/>). A passive checkpoint waits for no one: readers and the writer
/// carry on while it copies what they no longer need, and what it leaves is copied the next time. On a SQL Server
/// database it does nothing.
/// </summary>
public sealed class SqliteCheckpoints(IServiceProvider services, ILogger<SqliteCheckpoints> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (DatabaseSetup.SqliteSettings(services) is not { } sqlite) return;
        var (connectionString, connections) = sqlite;
        connections.CheckpointsInBackground = true;
        try
        {
            using var timer = new PeriodicTimer(Every, TimeProvider.System);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await CheckpointAsync(connectionString, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            connections.CheckpointsInBackground = false;
        }
    }

    private async Task CheckpointAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            // The next tick tries again; until then the log only grows.
            logger.LogWarning(e, "Checkpointing the SQLite write-ahead log failed.");
        }
    }
}
