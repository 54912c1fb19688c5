using System.Data.Common;
using KneeClinic.Core;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The version check that turns a second concurrent save into a conflict is part of the model on both providers.
/// SQLite is exercised end to end elsewhere; no SQL Server runs here, so for it the model and the UPDATE that EF
/// generates are inspected, with the connection never opened.
/// </summary>
public sealed class ConcurrencyTokens(ITestOutputHelper output)
{
    private static WebApplication App(string provider, DryRunServer? capture = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Database:Provider"] = provider;
        builder.Configuration["Database:DataDirectory"] = Path.GetTempPath();
        builder.Configuration["ConnectionStrings:SqlServer"] = "Server=127.0.0.1,1;Database=KneeClinic;Connect Timeout=1;TrustServerCertificate=True";
        builder.Configuration["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"kneeclinic-tokens-{Guid.NewGuid():N}.db")}";
        builder.AddKneeClinic();
        if (capture is not null) builder.Services.ConfigureDbContext<ClinicDbContext>(o => o.AddInterceptors(capture));
        return builder.Build();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("SqlServer")]
    public async Task EveryAggregateVersionIsAConcurrencyToken(string provider)
    {
        await using var app = App(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();

        var aggregates = db.Model.GetEntityTypes().Where(t => typeof(Aggregate).IsAssignableFrom(t.ClrType)).ToList();
        output.WriteLine($"{provider}: {aggregates.Count} aggregates, versioned: {string.Join(", ", aggregates.Select(t => t.ClrType.Name))}");
        Assert.True(aggregates.Count >= 5);
        Assert.All(aggregates, t => Assert.True(t.FindProperty(nameof(Aggregate.Version))!.IsConcurrencyToken, t.ClrType.Name));
    }

    [Fact]
    public async Task TheSqlServerUpdateOfAPatientChecksTheVersionItWasLoadedWith()
    {
        var server = new DryRunServer();
        await using var app = App("SqlServer", server);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var patient = new Patient(Mrn.Of("MRN-TOKEN"), "Ana", "Token", new DateOnly(1970, 1, 1), Sex.Female, DateTimeOffset.UtcNow);
        db.Attach(patient);
        var loaded = patient.Version;

        patient.Update("Ana", "Token", new DateOnly(1970, 1, 1), Sex.Female, "+1 555 0100", null, null);
        await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());

        foreach (var (text, _) in server.Commands) output.WriteLine(text + "\n");
        Assert.False(server.Opened, "the test must not reach a server");
        // The save runs in a transaction that first takes the audit chain's lock and reads its tail, then writes.
        Assert.True(server.TransactionBegun);
        Assert.Contains("sp_getapplock", server.Commands[0].Text);
        Assert.Contains("[AuditEntries]", server.Commands[1].Text);
        var (sql, parameters) = server.Commands[^1];
        Assert.Contains("UPDATE [Patients]", sql);
        var where = sql[sql.IndexOf("UPDATE [Patients]", StringComparison.Ordinal)..];
        Assert.Matches(@"WHERE \[Id\] = @\w+ AND \[Version\] = @\w+", where);
        var versionParameter = System.Text.RegularExpressions.Regex.Match(where, @"AND \[Version\] = (@\w+)").Groups[1].Value;
        Assert.Equal(loaded, parameters[versionParameter]);
        Assert.NotEqual(loaded, patient.Version);
        // The audit table has triggers, so EF must not use a bare OUTPUT clause on its INSERT (SQL Server refuses that).
        Assert.Contains("INSERT INTO [AuditEntries]", sql);
        Assert.DoesNotMatch(@"INSERT INTO \[AuditEntries\][^;]*OUTPUT INSERTED\.\[Id\]\s*VALUES", sql);
    }

    /// <summary>
    /// Plays a SQL Server that is never reached: the connection stays closed, a transaction is pretended, every
    /// command is recorded and answered with nothing, and the save stops at the command that writes the patient.
    /// </summary>
    private sealed class DryRunServer : DbConnectionInterceptor, IDbCommandInterceptor, IDbTransactionInterceptor
    {
        public List<(string Text, Dictionary<string, object?> Parameters)> Commands { get; } = [];
        public bool Opened { get; private set; }
        public bool TransactionBegun { get; private set; }

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) => ValueTask.FromResult(InterceptionResult.Suppress());

        public InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
            InterceptionResult<DbCommand>.SuppressWithResult(new RecordingCommand());

        public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            TransactionBegun = true;
            return ValueTask.FromResult(InterceptionResult<DbTransaction>.SuppressWithResult(new PretendTransaction(connection)));
        }

        public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(0));
        }

        public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            if (command.CommandText.Contains("UPDATE [Patients]", StringComparison.Ordinal))
                throw new InvalidOperationException("stopped before the server");
            // The only query before the write is the chain's tail: an empty audit table.
            var tail = new System.Data.DataTable();
            tail.Columns.Add("Sequence", typeof(long));
            tail.Columns.Add("Hash", typeof(string));
            return ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(tail.CreateDataReader()));
        }

        private void Record(DbCommand command)
        {
            Opened |= command.Connection?.State == System.Data.ConnectionState.Open;
            Commands.Add((command.CommandText, command.Parameters.Cast<DbParameter>().ToDictionary(p => p.ParameterName, p => (object?)p.Value)));
        }
    }

    /// <summary>A command that only holds what EF puts in it; its parameters are SQL Server's own.</summary>
    private sealed class RecordingCommand : DbCommand
    {
        private readonly Microsoft.Data.SqlClient.SqlCommand _parameters = new();

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText { get; set; } = "";
        public override int CommandTimeout { get; set; }
        public override System.Data.CommandType CommandType { get; set; }
        public override bool DesignTimeVisible { get; set; }
        public override System.Data.UpdateRowSource UpdatedRowSource { get; set; }
        protected override DbConnection? DbConnection { get; set; }
        protected override DbTransaction? DbTransaction { get; set; }
        protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;
        protected override DbParameter CreateDbParameter() => _parameters.CreateParameter();
        public override void Cancel() { }
        public override int ExecuteNonQuery() => throw new NotSupportedException();
        public override object? ExecuteScalar() => throw new NotSupportedException();
        public override void Prepare() { }
        protected override DbDataReader ExecuteDbDataReader(System.Data.CommandBehavior behavior) => throw new NotSupportedException();
    }

    private sealed class PretendTransaction(DbConnection connection) : DbTransaction
    {
        public override System.Data.IsolationLevel IsolationLevel => System.Data.IsolationLevel.ReadCommitted;
        protected override DbConnection DbConnection => connection;
        public override void Commit() { }
        public override void Rollback() { }
    }
}
