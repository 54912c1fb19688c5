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
    private static WebApplication App(string provider, CapturedCommand? capture = null)
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
        var capture = new CapturedCommand();
        await using var app = App("SqlServer", capture);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        var patient = new Patient("MRN-TOKEN", "Ana", "Token", new DateOnly(1970, 1, 1), Sex.Female, DateTimeOffset.UtcNow);
        db.Attach(patient);
        var loaded = patient.Version;

        patient.Update("Ana", "Token", new DateOnly(1970, 1, 1), Sex.Female, "+1 555 0100", null, null);
        await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());

        var sql = Assert.IsType<string>(capture.Text);
        output.WriteLine(sql);
        Assert.Contains("UPDATE [Patients]", sql);
        var where = sql[sql.IndexOf("UPDATE [Patients]", StringComparison.Ordinal)..];
        Assert.Matches(@"WHERE \[Id\] = @\w+ AND \[Version\] = @\w+", where);
        var versionParameter = System.Text.RegularExpressions.Regex.Match(where, @"AND \[Version\] = (@\w+)").Groups[1].Value;
        Assert.Equal(loaded, capture.Parameters[versionParameter]);
        Assert.NotEqual(loaded, patient.Version);
        Assert.False(capture.Opened, "the test must not reach a server");
    }

    /// <summary>Keeps the connection closed, records the first command EF sends, and stops it there.</summary>
    private sealed class CapturedCommand : DbConnectionInterceptor, IDbCommandInterceptor
    {
        public string? Text { get; private set; }
        public Dictionary<string, object?> Parameters { get; } = [];
        public bool Opened { get; private set; }

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) => ValueTask.FromResult(InterceptionResult.Suppress());

        public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Text ??= command.CommandText;
            Opened |= command.Connection?.State == System.Data.ConnectionState.Open;
            foreach (DbParameter parameter in command.Parameters) Parameters[parameter.ParameterName] = parameter.Value;
            throw new InvalidOperationException("stopped before the server");
        }
    }
}
