using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Chooses the database provider from configuration and prepares the database at start.</summary>
public static class DatabaseSetup
{
    public const string SqliteMigrations = "KneeClinic.Migrations.Sqlite";
    public const string SqlServerMigrations = "KneeClinic.Migrations.SqlServer";

    public static DatabaseProvider Provider(IConfiguration configuration) =>
        configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);

    public static IServiceCollection AddClinicDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddScoped<AuditInterceptor>();
        var provider = Provider(configuration);
        var connectionString = provider == DatabaseProvider.Sqlite
            ? SqliteConnectionString(configuration, environment)
            : configuration.GetConnectionString("SqlServer")
              ?? throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is not set.");

        services.AddDbContext<ClinicDbContext>((sp, options) =>
        {
            if (provider == DatabaseProvider.Sqlite)
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrations));
            else
                options.UseSqlServer(connectionString, o => o.MigrationsAssembly(SqlServerMigrations).EnableRetryOnFailure());
            options.AddInterceptors(sp.GetRequiredService<AuditInterceptor>());
        });
        return services;
    }

    /// <summary>Where the app keeps its files (SQLite database, keys, later uploads): Database:DataDirectory under the content root.</summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment) =>
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, configuration["Database:DataDirectory"] ?? "App_Data"));

    /// <summary>The configured SQLite connection string, or a file in the data folder under the content root.</summary>
    public static string SqliteConnectionString(IConfiguration configuration, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Sqlite") ?? "");
        if (string.IsNullOrEmpty(builder.DataSource))
            builder.DataSource = Path.Combine(DataDirectory(configuration, environment), "kneeclinic.db");
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        builder.Pooling = true;
        return builder.ToString();
    }

    /// <summary>
    /// Brings the schema up to date. SQLite always (it is the embedded default); SQL Server only when
    /// Database:MigrateAtStartup is set, as docker-compose does once the server reports healthy.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, IConfiguration configuration)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        if (db.IsSqlite)
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder) Directory.CreateDirectory(folder);
            await db.Database.MigrateAsync();
            // WAL lets readers carry on while one writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        else if (configuration.GetValue("Database:MigrateAtStartup", false))
        {
            await db.Database.MigrateAsync();
        }
    }
}
