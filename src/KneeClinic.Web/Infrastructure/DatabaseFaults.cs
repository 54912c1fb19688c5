using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Tells a database that cannot be reached (file gone, disk full, server down, still locked after the
/// timeout) from a fault in the app, so the error page can answer 503 "try again later" instead of 500.
/// </summary>
public static class DatabaseFaults
{
    // SQLITE_BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB: result codes 5, 6, 8, 10, 11, 13, 14, 26.
    private static readonly HashSet<int> SqliteUnavailable = [5, 6, 8, 10, 11, 13, 14, 26];

    // SQL Server: timeout, network and login failures, database offline or being recovered (Azure's transient set).
    private static readonly HashSet<int> SqlServerUnavailable = [-2, -1, 2, 53, 64, 233, 926, 4060, 10053, 10054, 10060, 10928, 10929, 40143, 40197, 40501, 40613];

    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RetryLimitExceededException:
                case SqliteException s when SqliteUnavailable.Contains(s.SqliteErrorCode):
                case SqlException sql when SqlServerUnavailable.Contains(sql.Number):
                case DbException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }
}
