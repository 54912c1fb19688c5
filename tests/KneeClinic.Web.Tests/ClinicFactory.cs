using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KneeClinic.Web.Tests;

/// <summary>The real app on its own fresh SQLite file and data folder, in the Testing environment.</summary>
public class ClinicFactory : WebApplicationFactory<Program>
{
    public const string Password = "correct horse battery staple";

    public ClinicFactory() : this("Testing") { }

    protected ClinicFactory(string environment) : this(environment, null) { }

    /// <summary>The app on the database file in <paramref name="dataDirectory"/> when given (another instance's), else on a new one.</summary>
    protected ClinicFactory(string environment, string? dataDirectory)
    {
        Environment = environment;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("kneeclinic-web-").FullName;
    }

    private readonly bool _ownsDataDirectory;

    public string Environment { get; }
    public string DataDirectory { get; }
    public string DatabaseFile => Path.Combine(DataDirectory, "kneeclinic.db");

    /// <summary>The audit trail's signed heads: in the data folder, so each test clinic (and the instances sharing its database) has its own.</summary>
    public string HeadsFolder => Path.Combine(DataDirectory, "audit-heads");

    public string HeadsFile => Path.Combine(HeadsFolder, Infrastructure.AuditHeads.FileName);

    /// <summary>False for a test of Production without an audit chain key.</summary>
    public bool ChainKeyInProduction { get; init; } = true;

    /// <summary>The audit chain key Production tests are given (outside Production the app makes one in the data folder).</summary>
    public const string ProductionChainKey = "q3Zk0m6Jc8f0o2x7Qb1rVt4yLw9eHs5uNd3gKa6pRz0=";
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:DataDirectory", DataDirectory);
        builder.UseSetting("ConnectionStrings:Sqlite", "");
        // The clinic's zone defaults to the machine's; the tests type their times in UTC wherever they run.
        builder.UseSetting("Clinic:TimeZone", "UTC");
        builder.UseSetting("Audit:HeadsFolder", HeadsFolder);
        if (Environment == "Production")
        {
            // Production requires the public address; the tests' requests name localhost or it.
            builder.UseSetting("Clinic:PublicBaseUrl", "https://clinic.example");
            builder.UseSetting("AllowedHosts", "localhost;clinic.example");
            // And a key for the audit chain, kept outside the database.
            if (ChainKeyInProduction) builder.UseSetting("Audit:ChainKeys:production-test", ProductionChainKey);
        }
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        ConfigureSecurity(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
    }

    /// <summary>
    /// Most tests sign administrators in with a password alone and sign in many times from one address, and they create
    /// and sign in hundreds of users, so passwords are hashed with 1,000 rounds instead of Identity's 100,000 (about 50 ms
    /// of CPU each). The classes that test those settings use <see cref="SecureClinicFactory"/>, which keeps the app's own.
    /// </summary>
    protected virtual void ConfigureSecurity(IWebHostBuilder builder)
    {
        builder.UseSetting("Security:RequireTwoFactorForAdministrators", "false");
        builder.UseSetting("Security:RequireTwoFactorForClinicians", "false");
        builder.UseSetting("Security:LoginRateLimitPerClient:PermitLimit", "100000");
        builder.ConfigureServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
    }

    public WebSession Session() => new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public async Task<WebSession> SignedInAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@clinic.test";
        await CreateUserAsync(email, role);
        var session = Session();
        await session.LogInAsync(email, Password);
        return session;
    }

    public async Task<ClinicUser> CreateUserAsync(string email, params string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = new ClinicUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test " + email.Split('@')[0] };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        if (roles.Length > 0) Assert.True((await users.AddToRolesAsync(user, roles)).Succeeded);
        return user;
    }

    /// <summary>
    /// A signed-in clinician with a patient and a case whose screening is recorded (and, unless told otherwise,
    /// decided eligible), stored through the domain the way the screening forms store it.
    /// </summary>
    public async Task<(WebSession Session, Guid CaseId)> ClinicianWithScreenedCaseAsync(CellSource source, bool eligible = true,
        string givenName = "Zoë", string familyName = "Müller-Øvergård", Medication? medication = null)
    {
        var email = $"clinician-{Guid.NewGuid():N}@clinic.test";
        var clinician = await CreateUserAsync(email, Roles.Clinician);
        var session = Session();
        await session.LogInAsync(email, Password);
        var now = Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var caseId = await QueryAsync(async db =>
        {
            var patient = new Patient(Mrn.Of($"P-{Guid.NewGuid():N}"[..16]), givenName, familyName, new DateOnly(1961, 3, 14), Sex.Female, now);
            var c = new Case(patient.Id, KneeSide.Left, source, KlGrade.Of(3), clinician.Id, now);
            c.RecordCheckup(today, null, null, 6, [], today);
            if (medication is not null) c.AddMedication(medication);
            c.AddImaging(new ImagingStudy(ImagingModality.XRay, today, "narrowing", KlGrade.Of(3)), today);
            if (eligible)
            {
                var outcome = c.Screening.PresentContraindications().Count > 0 ? EligibilityOutcome.EligibleWithOverride : EligibilityOutcome.Eligible;
                c.DecideEligibility(outcome, "Reviewed with the prescriber; the pause is planned.", clinician.Id, now);
            }
            db.AddRange(patient, c);
            await db.SaveChangesAsync();
            return c.Id;
        });
        return (session, caseId);
    }

    /// <summary>A separate context on the same file, for checking what was really stored.</summary>
    public async Task<T> QueryAsync<T>(Func<ClinicDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        return await query(db);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDataDirectory)
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The app as it runs for a developer: Development environment, demo data seeded at start.</summary>
public sealed class DevelopmentClinicFactory() : ClinicFactory("Development");

/// <summary>The app as deployed: Production environment, no demo data.</summary>
public sealed class ProductionClinicFactory() : ClinicFactory("Production");

/// <summary>The clinic with the SQL it runs in the captured log (the app's own settings keep EF's commands out).</summary>
public sealed class SqlLoggingClinicFactory : ClinicFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information");
    }
}

/// <summary>The test clinic with some settings of its own, for tests of what the app does with them.</summary>
public sealed class SettingsClinicFactory(params (string Key, string Value)[] settings) : ClinicFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}
