namespace KneeClinic.Web.Infrastructure;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>
/// The "Database" settings. Read from configuration when the first database context is made, not when services are
/// registered, so hosts and tests can still change them; checked at start.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>SQLite (the embedded default) or SQL Server (production; ConnectionStrings:SqlServer).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Where the app keeps its files (SQLite database, keys, scans), under the content root.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    /// <summary>SQL Server only: bring the schema up to date at start (SQLite always is).</summary>
    public bool MigrateAtStartup { get; set; }

    public static DatabaseOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

    /// <summary>What is wrong with the settings, naming each one; empty when they are usable.</summary>
    public IEnumerable<string> Problems(IConfiguration configuration)
    {
        if (!Enum.IsDefined(Provider)) yield return "Database:Provider must be Sqlite or SqlServer.";
        if (Provider == DatabaseProvider.SqlServer && string.IsNullOrWhiteSpace(configuration.GetConnectionString("SqlServer")))
            yield return "Database:Provider is SqlServer but ConnectionStrings:SqlServer is not set.";
        if (string.IsNullOrWhiteSpace(DataDirectory)) yield return "Database:DataDirectory must name a folder.";
    }

    public sealed class Validator(IConfiguration configuration) : Microsoft.Extensions.Options.IValidateOptions<DatabaseOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
            options.Problems(configuration).ToList() is { Count: > 0 } problems
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems)
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
