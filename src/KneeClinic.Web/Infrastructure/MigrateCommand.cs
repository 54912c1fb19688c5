namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// <c>migrate</c>: brings the database up to date and prepares it (roles, data-protection key, consent templates,
/// search keys), then exits without serving. docker-compose runs it once, as the database owner, before the web
/// replicas start with a login that may not change the schema.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(WebApplication app, TextWriter output)
    {
        // On SQL Server the schema is changed only when asked; this command is the asking.
        app.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.MigrateAtStartup)}"] = "true";
        await app.PrepareDatabaseAsync();
        await output.WriteLineAsync($"The {DatabaseSetup.Provider(app.Configuration)} database is up to date.");
        return 0;
    }
}
