using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The migrations of both providers match the model the app really builds. The context comes from the
/// app's own services, because the Identity part of the model depends on options registered there.
/// </summary>
public sealed class DatabaseModel(ITestOutputHelper output)
{
    private static WebApplication App(string provider)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Database:Provider"] = provider;
        builder.Configuration["Database:DataDirectory"] = Path.GetTempPath();
        // No SQL Server runs here: a one-second timeout makes any accidental connection fail fast.
        builder.Configuration["ConnectionStrings:SqlServer"] = "Server=127.0.0.1,1;Database=KneeClinic;Connect Timeout=1;TrustServerCertificate=True";
        builder.Configuration["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"kneeclinic-model-{Guid.NewGuid():N}.db")}";
        builder.AddKneeClinic();
        return builder.Build();
    }

    [Theory]
    [InlineData("Sqlite", DatabaseSetup.SqliteMigrations)]
    [InlineData("SqlServer", DatabaseSetup.SqlServerMigrations)]
    public async Task TheModelHasNoChangesMissingFromTheMigrations(string provider, string migrationsAssembly)
    {
        await using var app = App(provider);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();

        Assert.Equal(migrationsAssembly, db.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} model has changes without a migration: add one to {migrationsAssembly}.");
    }

    [Fact]
    public async Task TheSqlServerIdempotentScriptParsesWithoutErrors()
    {
        await using var app = App("SqlServer");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        var batches = script.Split("\nGO", StringSplitOptions.RemoveEmptyEntries);
        var errors = new List<ParseError>();
        foreach (var batch in batches)
        {
            using var reader = new StringReader(batch);
            parser.Parse(reader, out var batchErrors);
            errors.AddRange(batchErrors);
        }

        output.WriteLine($"{script.Length} characters in {batches.Length} batches");
        Assert.Empty(errors.Select(e => $"line {e.Line}: {e.Message}"));
        Assert.Contains("CREATE TABLE [Cases]", script);
        Assert.Contains("IF NOT EXISTS", script);

        // The audit table's append-only triggers are created through EXEC (CREATE TRIGGER must begin a batch);
        // the text inside parses too.
        var triggers = System.Text.RegularExpressions.Regex.Matches(script, @"EXEC\(N'(CREATE TRIGGER .*?END)'\)",
            System.Text.RegularExpressions.RegexOptions.Singleline).Select(m => m.Groups[1].Value.Replace("''", "'")).ToList();
        Assert.Equal(2, triggers.Count);
        Assert.Contains(triggers, t => t.Contains("ON [AuditEntries] INSTEAD OF UPDATE"));
        Assert.Contains(triggers, t => t.Contains("ON [AuditEntries] INSTEAD OF DELETE"));
        foreach (var trigger in triggers)
        {
            using var reader = new StringReader(trigger);
            parser.Parse(reader, out var triggerErrors);
            Assert.Empty(triggerErrors.Select(e => $"line {e.Line}: {e.Message}"));
        }
    }

    [Fact]
    public async Task TheSqlServerInsertOfABatchOfViewsParsesAndStaysUnderTheParameterLimit()
    {
        await using var app = App("SqlServer");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var views = Enumerable.Range(0, 300).Select(i => AuditEntry.Event(AuditAction.Viewed, "Patient", $"view-{i}", Guid.NewGuid(), "{}")).ToList();

        var commands = AuditAppend.Commands(db, views).ToList();

        // 300 rows of 14 columns would be 4,200 parameters: SQL Server takes at most 2,100 in one command.
        Assert.True(commands.Count > 1);
        Assert.All(commands, c => Assert.InRange(c.Parameters.Count, 1, 2100));
        Assert.Equal(300, commands.Sum(c => System.Text.RegularExpressions.Regex.Matches(c.CommandText, @"\(@p").Count));
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        foreach (var command in commands)
        {
            Assert.StartsWith("INSERT INTO [AuditEntries] (", command.CommandText);
            Assert.Contains("[Sequence]", command.CommandText);
            Assert.Contains("[Hash]", command.CommandText);
            // The row id is the database's own.
            Assert.DoesNotContain("[Id]", command.CommandText);
            using var reader = new StringReader(command.CommandText);
            parser.Parse(reader, out var errors);
            Assert.Empty(errors.Select(e => $"line {e.Line}: {e.Message}"));
            command.Dispose();
        }
    }

    /// <summary>A new SQLite file with every migration applied up to, not including, <paramref name="migration"/>.</summary>
    private static async Task<ClinicDbContext> MigratedToJustBeforeAsync(WebApplication app, AsyncServiceScope scope, string migration)
    {
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        // The app opens an existing file only (a missing one is an outage, not a new clinic): start from an empty file.
        File.Create(app.Configuration["ConnectionStrings:Sqlite"]!["Data Source=".Length..]).Dispose();
        var migrations = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith($"_{migration}")) - 1]);
        return db;
    }

    [Fact]
    public async Task TemplatesFromBeforeTheShortFormAreConsentFormsAfterTheMigration()
    {
        await using var app = App("Sqlite");
        await using var scope = app.Services.CreateAsyncScope();
        var db = await MigratedToJustBeforeAsync(app, scope, "ConsentFormVersion2");
        var id = Guid.NewGuid();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO ConsentTemplates (Id, Code, Title, CellSource, Version) VALUES ({id}, 'consent-adipose', 'Adipose', 'Adipose', {Guid.NewGuid()})");

        await db.Database.MigrateAsync();

        var template = await db.ConsentTemplates.AsNoTracking().SingleAsync(t => t.Id == id);
        Assert.Equal((Core.Consent.TemplateKind.ConsentForm, Core.Cases.CellSource.Adipose), (template.Kind, template.CellSource));
    }

    [Fact]
    public async Task MrnsTypedInLowerCaseAreUpperCaseAfterTheMigrationUnlessThatWouldMakeTwoOne()
    {
        await using var app = App("Sqlite");
        await using var scope = app.Services.CreateAsyncScope();
        var db = await MigratedToJustBeforeAsync(app, scope, "MrnUpperCaseAndBinaryOrder");
        foreach (var mrn in new[] { "k-1", "K-2", "k-2" })
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO Patients (Id, Mrn, GivenName, FamilyName, DateOfBirth, Sex, CreatedAt, Version) VALUES ({Guid.NewGuid()}, {mrn}, 'Ana', 'Ruiz', '1960-01-01', 'Female', 0, {Guid.NewGuid()})");

        await db.Database.MigrateAsync();

        var stored = await db.Patients.AsNoTracking().OrderBy(p => p.Mrn).Select(p => p.Mrn.Value).ToListAsync();
        Assert.Equal(["K-1", "K-2", "k-2"], stored);
    }

    [Fact]
    public async Task FormsPrintedBeforeTheMigrationTakeTheLanguageOfTheirTemplateVersion()
    {
        await using var app = App("Sqlite");
        await using var scope = app.Services.CreateAsyncScope();
        var db = await MigratedToJustBeforeAsync(app, scope, "ConsentDocumentLanguage");
        await db.Database.OpenConnectionAsync();
        // Only the rows this migration reads matter here: the other tables they point to stay empty.
        await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys = OFF");
        var (spanish, english, printedInSpanish, printedInEnglish) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(db, "ConsentTemplateVersions", ("Id", spanish), ("Language", "es"));
        await InsertAsync(db, "ConsentTemplateVersions", ("Id", english), ("Language", "en"));
        await InsertAsync(db, "ConsentDocuments", ("Id", printedInSpanish), ("TemplateVersionId", spanish), ("DocumentNumber", "KC-OLD-ES"));
        await InsertAsync(db, "ConsentDocuments", ("Id", printedInEnglish), ("TemplateVersionId", english), ("DocumentNumber", "KC-OLD-EN"));

        await db.Database.MigrateAsync();

        var languages = (await db.ConsentDocuments.Select(d => new { d.Id, d.Language }).ToListAsync()).ToDictionary(d => d.Id, d => d.Language.Tag);
        Assert.Equal("es", languages[printedInSpanish]);
        Assert.Equal("en", languages[printedInEnglish]);
    }

    [Fact]
    public async Task PatientsRegisteredBeforeTheSearchNameGetOneAtStart()
    {
        await using var app = App("Sqlite");
        await using var scope = app.Services.CreateAsyncScope();
        var db = await MigratedToJustBeforeAsync(app, scope, "PatientSearchName");
        var (chloe, zoe) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(db, "Patients", ("Id", chloe), ("Mrn", "OLD-1"), ("GivenName", "Chloé"), ("FamilyName", "Lefèvre"));
        await InsertAsync(db, "Patients", ("Id", zoe), ("Mrn", "OLD-2"), ("GivenName", "Zoë"), ("FamilyName", "Müller-Øvergård"));

        await DatabaseSetup.MigrateAsync(app.Services, app.Configuration);

        var names = (await db.Patients.Select(p => new { p.Id, p.SearchName }).ToListAsync()).ToDictionary(p => p.Id, p => p.SearchName);
        Assert.Equal("lefevre chloe", names[chloe]);
        Assert.Equal("muller-overgard zoe", names[zoe]);
        Assert.Equal(0, await DatabaseSetup.FillSearchNamesAsync(db));
    }

    [Fact]
    public async Task PatientsRegisteredBeforeTheNameWordsGetThemAtStart()
    {
        await using var app = App("Sqlite");
        await using var scope = app.Services.CreateAsyncScope();
        var db = await MigratedToJustBeforeAsync(app, scope, "KeysetPagingIndexes");
        var (zoe, accentsOnly) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(db, "Patients", ("Id", zoe), ("Mrn", "OLD-1"), ("SearchName", "muller-overgard zoe"));
        await InsertAsync(db, "Patients", ("Id", accentsOnly), ("Mrn", "OLD-2"), ("SearchName", "-"));

        await DatabaseSetup.MigrateAsync(app.Services, app.Configuration);

        var words = await db.PatientNameWords.Where(w => w.PatientId == zoe).Select(w => w.Word).OrderBy(w => w).ToListAsync();
        Assert.Equal(["muller", "overgard", "zoe"], words);
        Assert.False(await db.PatientNameWords.AnyAsync(w => w.PatientId == accentsOnly));
        // The name without a word is passed over again at each start (it has nothing to add), and the pass still ends.
        Assert.Equal(1, await DatabaseSetup.FillNameWordsAsync(db));
    }

    [Fact]
    public async Task NameWordsStoredBeforeTheyKeptTheirPatientsSearchNameTakeItInTheMigration()
    {
        await using var app = App("Sqlite");
        await using var scope = app.Services.CreateAsyncScope();
        var db = await MigratedToJustBeforeAsync(app, scope, "NameWordsSortByName");
        var (zoe, chloe) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(db, "Patients", ("Id", zoe), ("Mrn", "OLD-1"), ("SearchName", "muller-overgard zoe"));
        await InsertAsync(db, "Patients", ("Id", chloe), ("Mrn", "OLD-2"), ("SearchName", "lefevre chloe"));
        foreach (var (patient, word) in new[] { (zoe, "muller"), (zoe, "overgard"), (zoe, "zoe"), (chloe, "lefevre"), (chloe, "chloe") })
            await InsertAsync(db, "PatientNameWords", ("PatientId", patient), ("Word", word));

        await DatabaseSetup.MigrateAsync(app.Services, app.Configuration);

        var words = await db.PatientNameWords.Select(w => new { w.PatientId, w.SearchName }).ToListAsync();
        Assert.Equal(5, words.Count);
        Assert.All(words, w => Assert.Equal(w.PatientId == zoe ? "muller-overgard zoe" : "lefevre chloe", w.SearchName));
    }

    [Fact]
    public async Task PatientsWithAPhoneFromBeforeThePhoneSearchGetItsKeyAtStart()
    {
        await using var app = App("Sqlite");
        await using var scope = app.Services.CreateAsyncScope();
        var db = await MigratedToJustBeforeAsync(app, scope, "PatientPhoneSearch");
        var (withPhone, withoutDigits, withoutPhone) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(db, "Patients", ("Id", withPhone), ("Mrn", "OLD-1"), ("SearchName", "a"), ("Phone", "+1 (555) 010-2030"));
        await InsertAsync(db, "Patients", ("Id", withoutDigits), ("Mrn", "OLD-2"), ("SearchName", "b"), ("Phone", "ask the daughter"));
        await InsertAsync(db, "Patients", ("Id", withoutPhone), ("Mrn", "OLD-3"), ("SearchName", "c"));

        await DatabaseSetup.MigrateAsync(app.Services, app.Configuration);

        var keys = (await db.Patients.Select(p => new { p.Id, p.PhoneSearch }).ToListAsync()).ToDictionary(p => p.Id, p => p.PhoneSearch);
        Assert.Equal("03020105551", keys[withPhone]);
        Assert.Equal("-", keys[withoutDigits]);
        Assert.Equal("", keys[withoutPhone]);
        Assert.Equal(0, await DatabaseSetup.FillPhoneSearchAsync(db));
    }

    /// <summary>A row with the given values and a plain value of its type in every other column that needs one.</summary>
    private static async Task InsertAsync(ClinicDbContext db, string table, params (string Column, object Value)[] values)
    {
        var columns = await db.Database.SqlQuery<TableColumn>(
            $"SELECT name AS Name, type AS Type, \"notnull\" AS Required, dflt_value AS DefaultValue FROM pragma_table_info({table})").ToListAsync();
        var row = columns.Where(c => c.Required && c.DefaultValue is null).ToDictionary(c => c.Name, c => c.Type switch
        {
            "INTEGER" => (object)0,
            "REAL" => 0.0,
            "BLOB" => new byte[] { 0 },
            _ => "x",
        });
        foreach (var (column, value) in values) row[column] = value;
        var names = row.Keys.ToList();
        // The table and column names are this test's own; the values go as parameters.
        var insert = $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => $"{{{i}}}"))})";
        await db.Database.ExecuteSqlRawAsync(insert, names.Select(n => row[n]));
    }

    private sealed record TableColumn(string Name, string Type, bool Required, string? DefaultValue);

    [Fact]
    public async Task SqliteIsMigratedAtStartInWalMode()
    {
        await using var app = App("Sqlite");
        await DatabaseSetup.MigrateAsync(app.Services, app.Configuration);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();
        Assert.Equal("wal", mode.Single());
    }
}
