using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Tests;

/// <summary>What the paging tests need of the database file: rows in bulk by plain SQL, the SQL the app ran, and its plan.</summary>
internal static partial class PagingSql
{
    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    /// <summary>A Guid as EF stores it in SQLite (upper-case text), made by SQLite, so rows can be made in one statement.</summary>
    public const string NewId = "upper(hex(randomblob(4))) || '-' || upper(hex(randomblob(2))) || '-7' || substr(upper(hex(randomblob(2))), 2) || '-8' "
        + "|| substr(upper(hex(randomblob(2))), 2) || '-' || upper(hex(randomblob(6)))";

    /// <summary>
    /// <paramref name="count"/> copies of the row <paramref name="id"/> of <paramref name="table"/> in one statement, every
    /// column copied but those in <paramref name="values"/> (SQL over <c>n.i</c>, 1 to count) and the Id (a new Guid unless given).
    /// </summary>
    public static async Task CopyAsync(ClinicFactory factory, string table, object id, int count, params (string Column, string Sql)[] values)
    {
        var set = values.ToDictionary(v => v.Column, v => v.Sql);
        set.TryAdd("Id", NewId);
        await factory.QueryAsync(async db =>
        {
            var columns = await db.Database.SqlQuery<string>($"SELECT name AS Value FROM pragma_table_info({table})").ToListAsync();
            var select = string.Join(", ", columns.Select(c => set.TryGetValue(c, out var sql) ? sql : $"t.\"{c}\""));
            // The table and column names are the app's own and the expressions this test's; the id goes as a parameter.
#pragma warning disable EF1002, EF1003
            return await db.Database.ExecuteSqlRawAsync(
                $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) "
                + $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT {select} FROM \"{table}\" t, n WHERE t.\"Id\" = {{0}}",
                id is Guid g ? g.ToString().ToUpperInvariant() : id);
#pragma warning restore EF1002, EF1003
        });
    }

    public static void Clear(ClinicFactory factory)
    {
        while (factory.Logs.Lines.TryDequeue(out _)) { }
    }

    /// <summary>The SQL of each command the app ran since <see cref="Clear"/>.</summary>
    public static List<string> Commands(ClinicFactory factory) =>
    [
        .. factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand") && l.Contains("commandText="))
            .Select(l => l[(l.IndexOf("commandText=", StringComparison.Ordinal) + "commandText=".Length)..l.LastIndexOf(" {OriginalFormat}=", StringComparison.Ordinal)])
    ];

    /// <summary>
    /// The commands of the page itself, since <see cref="Clear"/>: without the two reads a request makes or skips by the
    /// moment rather than by the page, where the data stands (read again at most every tenth of a second, see
    /// <c>DataChanges</c>) and the sign-in check (read again after a change).
    /// </summary>
    public static List<string> PageCommands(ClinicFactory factory) =>
        [.. Commands(factory).Where(c => !IsWhereTheDataStands(c) && !c.Contains("\"SecurityStamp\" = @stamp", StringComparison.Ordinal))];

    /// <summary>The read of the last change's sequence number in the audit trail.</summary>
    public static bool IsWhereTheDataStands(string sql) =>
        sql.Contains("MAX(\"a0\".\"Sequence\")", StringComparison.Ordinal) && sql.Contains("'Created'", StringComparison.Ordinal);

    /// <summary>SQLite's plan for <paramref name="sql"/> (its parameters unbound: SQLite plans without their values).</summary>
    public static async Task<List<string>> PlanAsync(ClinicFactory factory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct()) command.Parameters.AddWithValue(name, DBNull.Value);
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return plan;
    }

    /// <summary>How long <paramref name="sql"/> takes to read all its rows, straight on the file.</summary>
    public static async Task<TimeSpan> TimeAsync(ClinicFactory factory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync()) { }
        }
        while (await reader.NextResultAsync());
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }
}
