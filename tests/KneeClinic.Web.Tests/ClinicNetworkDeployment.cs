using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace KneeClinic.Web.Tests;

/// <summary>
/// docker-compose.yml and the files under deploy/, read as the tools would read them: the YAML with its anchors
/// merged, the T-SQL parsed by SQL Server's own parser. No docker and no SQL Server is needed.
/// </summary>
public sealed class ClinicNetworkDeployment
{
    private const string AppLogin = "kneeclinic_app";
    private const string MigratorLogin = "kneeclinic_migrator";

    private static readonly string Root = FirstRun.RepositoryRoot();

    [Fact]
    public void NginxAloneIsPublishedOnHttpAndHttpsInFrontOfTwoReplicasOnTheNetworkTheAppTrusts()
    {
        var services = Map(Compose()["services"]);
        var nginx = Map(services["nginx"]);
        var published = List(nginx["ports"]).Select(p => p.ToString()!).ToList();
        Assert.Contains(published, p => p.EndsWith(":443", StringComparison.Ordinal));
        Assert.Contains(published, p => p.EndsWith(":80", StringComparison.Ordinal));
        Assert.Contains(List(nginx["volumes"]), v => v.ToString()!.Split(':')[^2] == "/etc/nginx/certs");

        var replicas = services.Where(s => Map(s.Value).TryGetValue("image", out var image) && image.ToString() == "kneeclinic/web:local"
            && !Map(s.Value).ContainsKey("command")).ToList();
        Assert.Equal(["web1", "web2"], replicas.Select(r => r.Key.ToString()).Order());
        var subnet = Map(List(Map(Map(Map(Compose()["networks"])["app"])["ipam"])["config"]).Single())["subnet"].ToString();
        Assert.Equal("true", Map(Map(Compose()["networks"])["app"])["internal"].ToString());
        foreach (var (name, replica) in replicas.Select(r => (r.Key.ToString(), Map(r.Value))))
        {
            Assert.False(replica.ContainsKey("ports"), $"{name} is published past nginx.");
            Assert.Contains("app", List(replica["networks"]).Select(n => n.ToString()));
            var environment = Map(replica["environment"]);
            Assert.Equal(subnet, environment["Network__KnownProxyNetworks__0"].ToString());
            Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"].ToString());
            Assert.Equal("false", environment["Database__MigrateAtStartup"].ToString());
            Assert.Contains("KNEECLINIC_PUBLIC_URL:?", environment["Clinic__PublicBaseUrl"].ToString());
            Assert.Equal(AppLogin, Login(environment["ConnectionStrings__SqlServer"].ToString()!));
        }
        // Only nginx is published; nobody but the migrator connects as the owner, and nobody as sa.
        Assert.Equal(["nginx"], services.Where(s => Map(s.Value).ContainsKey("ports")).Select(s => s.Key.ToString()));
        var migrator = Map(services["migrator"]);
        Assert.Equal([MigrateCommand.Name], List(migrator["command"]).Select(c => c.ToString()));
        Assert.Equal(MigratorLogin, Login(Map(migrator["environment"])["ConnectionStrings__SqlServer"].ToString()!));
        Assert.DoesNotContain("User Id=sa;", File.ReadAllText(ComposeFile), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TheStackStartsInOrderSqlServerHealthyThenLoginsThenMigratorThenPermissionsThenReplicas()
    {
        var services = Map(Compose()["services"]);
        Assert.True(Map(services["sqlserver"]).ContainsKey("healthcheck"));
        Assert.Equal("service_healthy", Condition(services, "logins", "sqlserver"));
        Assert.Equal("service_completed_successfully", Condition(services, "migrator", "logins"));
        Assert.Equal("service_completed_successfully", Condition(services, "app-permissions", "migrator"));
        Assert.Equal("service_completed_successfully", Condition(services, "web1", "app-permissions"));
        Assert.Equal("service_completed_successfully", Condition(services, "web2", "app-permissions"));
        Assert.Equal("service_completed_successfully", Condition(services, "nginx", "certificate"));
        // The scripts the one-shot services run are the ones in deploy/sql.
        Assert.Contains("/deploy/sql/01-logins.sql", List(Map(services["logins"])["entrypoint"]).Select(e => e.ToString()));
        Assert.Contains("/deploy/sql/02-app-permissions.sql", List(Map(services["app-permissions"])["entrypoint"]).Select(e => e.ToString()));
        var logins = Map(Map(services["logins"])["environment"]);
        Assert.Contains("KNEECLINIC_MIGRATOR_PASSWORD", logins["MigratorPassword"].ToString());
        Assert.Contains("KNEECLINIC_APP_PASSWORD", logins["AppPassword"].ToString());
    }

    [Fact]
    public void NginxRedirectsHttpToHttpsAndPassesTheClientsAddressAndSchemeToBothReplicas()
    {
        var config = File.ReadAllText(Path.Combine(Root, "deploy", "nginx", "kneeclinic.conf.template"));
        Assert.Matches(@"server\s+web1:8080", config);
        Assert.Matches(@"server\s+web2:8080", config);
        Assert.Matches(@"listen 80[^;]*;[\s\S]*return 301 https://\$host", config);
        Assert.Matches(@"listen 443 ssl", config);
        Assert.Contains("ssl_certificate     /etc/nginx/certs/clinic.crt;", config);
        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", config);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", config);
        var certificate = File.ReadAllText(Path.Combine(Root, "deploy", "make-self-signed-certificate.sh"));
        Assert.Contains("openssl req -x509", certificate);
    }

    [Fact]
    public void TheLoginScriptsParseAndHoldOnlyLoginsUsersTheOwnerRoleAndRowPermissions()
    {
        var statements = Scripts().SelectMany(s => s.Statements).ToList();
        Assert.All(statements, s => Assert.True(s is CreateDatabaseStatement or UseStatement or CreateLoginStatement or AlterLoginOptionsStatement
            or CreateUserStatement or AlterRoleStatement or GrantStatement or DenyStatement, $"Unexpected {s.GetType().Name} in the login scripts."));

        Assert.Equal([AppLogin, MigratorLogin], statements.OfType<CreateLoginStatement>().Select(l => l.Name.Value).Order());
        Assert.Equal([AppLogin, MigratorLogin], statements.OfType<CreateUserStatement>().Select(u => u.Name.Value).Order());
        // Passwords come from sqlcmd variables (the environment), never from the file.
        var passwords = statements.OfType<CreateLoginStatement>().Select(l => ((PasswordCreateLoginSource)l.Source).Password.Value).ToList();
        Assert.All(passwords, p => Assert.Matches(@"^\$\((MigratorPassword|AppPassword)\)$", p));

        // One role membership: the migrator owns the database. The app is in no role at all.
        var membership = Assert.Single(statements.OfType<AlterRoleStatement>());
        Assert.Equal(("db_owner", MigratorLogin), (membership.Name.Value, ((AddMemberAlterRoleAction)membership.Action).Member.Value));
    }

    [Fact]
    public void TheAppLoginMayReadAndWriteRowsButNotChangeOrDeleteTheAuditTrail()
    {
        var statements = Scripts().SelectMany(s => s.Statements).ToList();
        var grants = statements.OfType<GrantStatement>().ToList();
        Assert.All(grants, g => Assert.False(g.WithGrantOption));
        Assert.All(grants, g => Assert.Equal([AppLogin], g.Principals.Select(p => p.Identifier.Value)));
        var granted = grants.SelectMany(g => g.Permissions.Select(p => (Permission(p), Target(g.SecurityTargetObject)))).ToHashSet();
        Assert.Equal(new[] { "SELECT", "INSERT", "UPDATE", "DELETE" }.Select(p => (p, "SCHEMA::dbo")).ToHashSet(), granted);

        using var db = new ClinicDbContext(new DbContextOptionsBuilder<ClinicDbContext>().UseSqlServer("Server=.;Database=KneeClinic").Options);
        var auditTable = "OBJECT::dbo." + db.Model.FindEntityType(typeof(AuditEntry))!.GetTableName();
        var denied = statements.OfType<DenyStatement>()
            .Where(d => d.Principals.Any(p => p.Identifier.Value == AppLogin))
            .SelectMany(d => d.Permissions.Select(p => (Permission(p), Target(d.SecurityTargetObject)))).ToHashSet();
        Assert.Contains(("UPDATE", auditTable), denied);
        Assert.Contains(("DELETE", auditTable), denied);
        Assert.DoesNotContain(("INSERT", auditTable), denied);
        Assert.DoesNotContain(("SELECT", auditTable), denied);
    }

    [Fact]
    public async Task TheMigrateCommandPreparesTheDatabaseAndExitsWithoutServing()
    {
        var folder = Directory.CreateTempSubdirectory("kneeclinic-migrate-").FullName;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.Configuration["Database:DataDirectory"] = folder;
            builder.Configuration["Clinic:PublicBaseUrl"] = "https://clinic.example";
            builder.Configuration["Audit:ChainKeys:production-test"] = ClinicFactory.ProductionChainKey;
            builder.Configuration["Audit:HeadsFolder"] = Path.Combine(folder, "audit-heads");
            builder.AddKneeClinic();
            await using var app = builder.Build();
            var output = new StringWriter();

            Assert.Equal(0, await MigrateCommand.RunAsync(app, output));

            Assert.Equal("The Sqlite database is up to date.", output.ToString().Trim());
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(Roles.All.Order(), await scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>().Roles.Select(r => r.Name!).ToListAsync());
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string ComposeFile => Path.Combine(Root, "docker-compose.yml");

    /// <summary>docker-compose.yml as compose reads it: anchors and merge keys (&lt;&lt;) resolved.</summary>
    private static Dictionary<object, object> Compose()
    {
        using var reader = new StringReader(File.ReadAllText(ComposeFile));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<object, object> Map(object node) => Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> List(object node) => Assert.IsType<List<object>>(node);

    private static string? Condition(Dictionary<object, object> services, string service, string on) =>
        Map(Map(Map(services[service])["depends_on"])[on])["condition"].ToString();

    private static string Login(string connectionString) =>
        new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString).UserID;

    /// <summary>Every statement of both scripts, with IF ... ELSE and BEGIN ... END opened up; no parse errors allowed.</summary>
    private static IEnumerable<(string File, List<TSqlStatement> Statements)> Scripts()
    {
        foreach (var file in new[] { "01-logins.sql", "02-app-permissions.sql" })
        {
            using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, "deploy", "sql", file)));
            var script = (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
            Assert.True(errors.Count == 0, $"{file}: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
            yield return (file, script.Batches.SelectMany(b => b.Statements).SelectMany(Open).ToList());
        }
    }

    private static IEnumerable<TSqlStatement> Open(TSqlStatement statement) => statement switch
    {
        IfStatement i => Open(i.ThenStatement).Concat(i.ElseStatement is null ? [] : Open(i.ElseStatement)),
        BeginEndBlockStatement b => b.StatementList.Statements.SelectMany(Open),
        _ => [statement],
    };

    private static string Permission(Permission permission) =>
        string.Join(" ", permission.Identifiers.Select(i => i.Value.ToUpperInvariant()));

    private static string Target(SecurityTargetObject? target) => target is null ? "DATABASE"
        : $"{target.ObjectKind switch { SecurityObjectKind.Schema => "SCHEMA", SecurityObjectKind.NotSpecified or SecurityObjectKind.Object => "OBJECT", var k => k.ToString().ToUpperInvariant() }}::"
          + string.Join(".", target.ObjectName.MultiPartIdentifier.Identifiers.Select(i => i.Value));
}
