using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace KneeClinic.Web.Infrastructure;

/// <summary>Chooses the database provider from configuration and prepares the database at start.</summary>
public static class DatabaseSetup
{
    public const string SqliteMigrations = "KneeClinic.Migrations.Sqlite";
    public const string SqlServerMigrations = "KneeClinic.Migrations.SqlServer";

    public static DatabaseProvider Provider(IConfiguration configuration) => DatabaseOptions.From(configuration).Provider;

    /// <summary>
    /// Registers <see cref="ClinicDbContext"/> on the configured provider. Configuration is read once, when the first
    /// context is made, so hosts and tests can still change it after the services are registered.
    /// </summary>
    public static IServiceCollection AddClinicDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DatabaseOptions>, DatabaseOptions.Validator>();
        services.AddSingleton(sp => ConfiguredDatabase.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        // Contexts come from a pool: their options (provider, interceptors, warnings) are built once, not on every
        // request. The audit interceptor is shared by them and finds the signed-in user through the request.
        // DataChanges learns of each change this instance commits, for what is kept in memory until the data changes.
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<DataChanges>();
        services.AddDbContextPool<ClinicDbContext>((sp, options) =>
        {
            UseConfiguredProvider(options, sp.GetRequiredService<ConfiguredDatabase>());
            options.AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), sp.GetRequiredService<DataChanges>());
        });
        return services;
    }

    /// <summary>
    /// A context on the configured database whose saves write no audit entry per row: for <see cref="SeedDemoCommand"/>
    /// only, which writes its generated rows in bulk and records one audit event for all of them. Never for a
    /// change a person makes.
    /// </summary>
    public static ClinicDbContext UnauditedContextForGeneratedData(IServiceProvider services)
    {
        var options = new DbContextOptionsBuilder<ClinicDbContext>();
        UseConfiguredProvider(options, services.GetRequiredService<ConfiguredDatabase>());
        return new ClinicDbContext(options.Options);
    }

    private static void UseConfiguredProvider(DbContextOptionsBuilder options, ConfiguredDatabase database)
    {
        // Split queries: a case loads its screening's lists (medications, imaging, findings) with it, and in one
        // query their rows multiply (200 medications x 200 studies = 40,000 rows); split, each list is read once.
        // The model is the compiled one beside each provider's migrations: building it from the entity configuration
        // took about 0.8 s of every start. It is regenerated after a model change (README, "Changing the model");
        // the test CompiledModels fails while it differs from the model the configuration builds.
        // A capped count ("more than 1,000") takes rows in no order on purpose: which 1,001 it counts makes no difference.
        options.ConfigureWarnings(w => w.Ignore(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            options.UseSqlite(database.ConnectionString,
                o => o.MigrationsAssembly(SqliteMigrations).UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
            if (CompiledModel(SqliteMigrations) is { } model) options.UseModel(model);
            options.AddInterceptors(database.SqliteBusyTimeout!);
        }
        else
        {
            options.UseSqlServer(database.ConnectionString,
                o => o.MigrationsAssembly(SqlServerMigrations).EnableRetryOnFailure().UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
            if (CompiledModel(SqlServerMigrations) is { } model) options.UseModel(model);
        }
    }

    /// <summary>
    /// The compiled model generated beside a provider's migrations (<c>CompiledModel/</c>), or null when there is none.
    /// Found by name rather than referenced, so the script that regenerates them can delete the old ones first and the
    /// app still builds without them (a model change can leave generated code that no longer compiles).
    /// </summary>
    internal static IModel? CompiledModel(string migrationsAssembly) =>
        Type.GetType($"{migrationsAssembly}.CompiledModel.ClinicDbContextModel, {migrationsAssembly}")
            ?.GetProperty("Instance")?.GetValue(null) as IModel;

    /// <summary>The provider and connection string, worked out from configuration once rather than for every context.</summary>
    private sealed record ConfiguredDatabase(DatabaseProvider Provider, string ConnectionString, SqliteBusyTimeout? SqliteBusyTimeout)
    {
        public static ConfiguredDatabase From(IConfiguration configuration, IHostEnvironment environment)
        {
            if (DatabaseSetup.Provider(configuration) == DatabaseProvider.Sqlite)
            {
                var connectionString = SqliteConnectionString(configuration, environment);
                return new(DatabaseProvider.Sqlite, connectionString,
                    new SqliteBusyTimeout(new SqliteConnectionStringBuilder(connectionString).DefaultTimeout * 1000));
            }
            var sqlServer = configuration.GetConnectionString("SqlServer") is { Length: > 0 } value ? value
                : throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:SqlServer is not set.");
            return new(DatabaseProvider.SqlServer, sqlServer, null);
        }
    }

    /// <summary>Where the app keeps its files (SQLite database, keys, later uploads): Database:DataDirectory under the content root.</summary>
    public static string DataDirectory(IConfiguration configuration, IHostEnvironment environment) =>
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, DatabaseOptions.From(configuration).DataDirectory));

    /// <summary>The configured SQLite connection string, or a file in the data folder under the content root.</summary>
    public static string SqliteConnectionString(IConfiguration configuration, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Sqlite") ?? "");
        if (string.IsNullOrEmpty(builder.DataSource))
            builder.DataSource = Path.Combine(DataDirectory(configuration, environment), "kneeclinic.db");
        // A statement that meets another writer's lock is retried by Microsoft.Data.Sqlite until this many
        // seconds have passed, so a busy moment waits instead of reaching a user as "database is locked".
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        builder.Pooling = true;
        // A database file that goes missing while the app runs (a detached disk, a restore in progress) must be
        // an error page and an unhealthy /health, never a new empty database that hides the real one.
        // MigrateAsync creates the file on the first start only.
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
            builder.Mode = SqliteOpenMode.ReadWrite;
        return builder.ToString();
    }

    /// <summary>
    /// Brings the schema up to date. SQLite always (it is the embedded default); SQL Server only when
    /// Database:MigrateAtStartup is set, as docker-compose does once the server reports healthy.
    /// </summary>
    /// <summary>
    /// Migrates only a database that lacks a migration: reading the history is a quick query, while MigrateAsync
    /// itself first compares the whole model with the last snapshot (about half of a start-up on a database that is
    /// already current). That comparison is the test <c>DatabaseModel</c>'s job. Several instances that find the same
    /// migrations missing meet at EF Core's migration lock, and the second one finds nothing left to apply.
    /// </summary>
    private static async Task MigrateIfBehindAsync(ClinicDbContext db)
    {
        if ((await db.Database.GetPendingMigrationsAsync()).Any())
            await db.Database.MigrateAsync();
    }

    public static async Task MigrateAsync(IServiceProvider services, IConfiguration configuration)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        // The data folder (scans, and the SQLite database by default) is the app's alone, whatever the provider.
        var dataFolder = DataDirectory(configuration, scope.ServiceProvider.GetRequiredService<IHostEnvironment>());
        PrivateFiles.Folder(dataFolder);
        if (db.IsSqlite)
        {
            var connection = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
            if (connection.Mode == SqliteOpenMode.ReadWrite)
            {
                if (!File.Exists(connection.DataSource))
                    scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup))
                        .LogWarning("No database file at {File}: creating a new, empty database.", connection.DataSource);
                PrivateFiles.SqliteDatabase(connection.DataSource, dataFolder);
            }
            await MigrateIfBehindAsync(db);
            // WAL lets readers carry on while one writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        else if (DatabaseOptions.From(configuration).MigrateAtStartup)
            await MigrateIfBehindAsync(db);
        else
            return;
        await FillSearchNamesAsync(db);
        await FillPhoneSearchAsync(db);
        await FillNameWordsAsync(db);
    }

    /// <summary>
    /// Runs start-up work that adds rows only when they are missing (roles, consent templates). When another instance
    /// starting at the same moment added the same rows first, the save fails on a unique index; the work runs again,
    /// in a new scope, and finds them there. Anything else, or a third failure, stops the start as before.
    /// </summary>
    public static async Task AgainIfAnotherInstanceWroteFirstAsync(IServiceProvider services, string what, Func<Task> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work();
                return;
            }
            catch (DbUpdateException e) when (attempt < 3)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseSetup)).LogInformation(
                    "Adding the {What} at start conflicted with another instance's ({Problem}); checking again.", what, e.InnerException?.Message ?? e.Message);
            }
        }
    }

    /// <summary>
    /// Patients whose phone was stored before the phone search existed get its key, as <see cref="FillSearchNamesAsync"/>
    /// does for names. Not audited: it is their phone again, not a change to it.
    /// </summary>
    public static async Task<int> FillPhoneSearchAsync(ClinicDbContext db)
    {
        var filled = 0;
        while (true)
        {
            var batch = await db.Patients.AsNoTracking().Where(p => p.Phone != null && p.PhoneSearch == "").OrderBy(p => p.Id).Take(500)
                .Select(p => new { p.Id, p.Phone }).ToListAsync();
            if (batch.Count == 0) return filled;
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                foreach (var p in batch)
                {
                    // A phone without a digit has no key: "-" keeps it from being picked up again, and no digits search reaches it.
                    var key = PhoneKey.Of(p.Phone) is { Length: > 0 } k ? k : "-";
                    await db.Patients.Where(x => x.Id == p.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.PhoneSearch, key));
                }
                await transaction.CommitAsync();
            });
            filled += batch.Count;
        }
    }

    /// <summary>
    /// Patients registered before the search name existed get theirs (accents cannot be taken off in SQL), a few hundred
    /// per statement batch; nothing to do once all have one. Not audited: it is their name again, not a change to it.
    /// </summary>
    public static async Task<int> FillSearchNamesAsync(ClinicDbContext db)
    {
        var filled = 0;
        while (true)
        {
            var batch = await db.Patients.AsNoTracking().Where(p => p.SearchName == "").OrderBy(p => p.Id).Take(500)
                .Select(p => new { p.Id, p.FamilyName, p.GivenName }).ToListAsync();
            if (batch.Count == 0) return filled;
            // (Through the execution strategy: SQL Server's retries need the whole transaction to repeat.)
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                foreach (var p in batch)
                {
                    // A name of accents alone would have no key: "-" keeps it from being picked up again.
                    var key = SearchKey.Of($"{p.FamilyName} {p.GivenName}") is { Length: > 0 } k ? k : "-";
                    await db.Patients.Where(x => x.Id == p.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SearchName, key));
                }
                await transaction.CommitAsync();
            });
            filled += batch.Count;
        }
    }

    /// <summary>
    /// Patients registered before the name search went by words get their words, 500 per save, in id order so a
    /// name with no word (accents alone) is passed once and not picked up again. Not audited: it is their name again.
    /// </summary>
    public static async Task<int> FillNameWordsAsync(ClinicDbContext db)
    {
        var filled = 0;
        Guid? after = null;
        while (true)
        {
            var batch = await db.Patients.AsNoTracking().Where(p => !db.PatientNameWords.Any(w => w.PatientId == p.Id))
                .Where(p => after == null || p.Id.CompareTo(after.Value) > 0).OrderBy(p => p.Id).Take(500)
                .Select(p => new { p.Id, p.SearchName }).ToListAsync();
            if (batch.Count == 0) return filled;
            db.PatientNameWords.AddRange(batch.SelectMany(p => SearchKey.Words(p.SearchName).Distinct().Select(w => new PatientNameWord(p.Id, w, p.SearchName))));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            after = batch[^1].Id;
            filled += batch.Count;
        }
    }
}
