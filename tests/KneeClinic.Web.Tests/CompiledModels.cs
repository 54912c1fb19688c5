using KneeClinic.Core.Data;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The app starts on the compiled model of its provider (migrations/*/CompiledModel), not on one built from the entity
/// configuration. A compiled model left behind by a model change would quietly read and write the old shape: each must
/// be the model the configuration builds today, compared with one built from the same app's services (the Identity
/// part of the model depends on options registered there). Regenerate with migrations/compiled-models.sh.
/// </summary>
public sealed class CompiledModels
{
    private static WebApplication App(string provider)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Database:Provider"] = provider;
        builder.Configuration["Database:DataDirectory"] = Path.GetTempPath();
        // No SQL Server runs here, and nothing below connects: a one-second timeout makes any accidental connection fail fast.
        builder.Configuration["ConnectionStrings:SqlServer"] = "Server=127.0.0.1,1;Database=KneeClinic;Connect Timeout=1;TrustServerCertificate=True";
        builder.Configuration["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"kneeclinic-compiled-{Guid.NewGuid():N}.db")}";
        builder.AddKneeClinic();
        return builder.Build();
    }

    [Theory]
    [InlineData("Sqlite", DatabaseSetup.SqliteMigrations)]
    [InlineData("SqlServer", DatabaseSetup.SqlServerMigrations)]
    public async Task TheCompiledModelIsTheModelTheConfigurationBuilds(string provider, string migrationsAssembly)
    {
        await using var app = App(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var compiled = DatabaseSetup.CompiledModel(migrationsAssembly);
        Assert.True(compiled is not null, $"No compiled model in {migrationsAssembly}: run migrations/compiled-models.sh.");
        Assert.Same(compiled, db.Model);

        // The same options as the app's contexts (provider, Identity options through the app's services), minus the model.
        var options = (DbContextOptions<ClinicDbContext>)db.GetService<IDbContextOptions>();
        var withoutModel = new DbContextOptionsBuilder<ClinicDbContext>(options);
        ((IDbContextOptionsBuilderInfrastructure)withoutModel).AddOrUpdateExtension(
            options.FindExtension<CoreOptionsExtension>()!.WithModel(null!));
        await using var configured = new ClinicDbContext(withoutModel.Options);
        var built = configured.Model;
        Assert.NotSame(compiled, built);

        var stale = $"The compiled {provider} model differs from the entity configuration: run migrations/compiled-models.sh.";
        // Tables, columns, keys, foreign keys, indexes and triggers, as the queries address them ... (EF Core's migrations
        // differ cannot read a compiled model: it holds only what running needs.)
        Assert.True(Tables(built) == Tables(compiled), stale + Environment.NewLine + Differences(Tables(built), Tables(compiled)));
        // ... and what only reading and writing see: converters, navigations, owned types, concurrency tokens, value generation.
        Assert.True(Described(built) == Described(compiled), stale + Environment.NewLine + Differences(Described(built), Described(compiled)));
    }

    private static string Tables(IModel model) => model.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.LongDefault);

    /// <summary>The lines that differ, as "configuration builds ... / compiled has ..." (the views list the same things in the same order).</summary>
    private static string Differences(string expected, string actual)
    {
        var (e, a) = (expected.Split('\n'), actual.Split('\n'));
        var lines = Enumerable.Range(0, Math.Max(e.Length, a.Length)).Where(i => e.ElementAtOrDefault(i) != a.ElementAtOrDefault(i)).Take(20)
            .Select(i => $"line {i + 1}: configuration builds '{e.ElementAtOrDefault(i)?.Trim()}', compiled has '{a.ElementAtOrDefault(i)?.Trim()}'");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The model's long debug view, and each property's converter and comparer types (the view leaves them out).</summary>
    private static string Described(IModel model) =>
        model.ToDebugString(MetadataDebugStringOptions.LongDefault) + Environment.NewLine + string.Join(Environment.NewLine,
            model.GetEntityTypes().OrderBy(t => t.Name).SelectMany(t => t.GetDeclaredProperties().Select(p =>
                $"{t.Name}.{p.Name}: {p.GetTypeMapping().Converter?.GetType().FullName} {p.GetColumnType()} {p.GetMaxLength()}")));
}
