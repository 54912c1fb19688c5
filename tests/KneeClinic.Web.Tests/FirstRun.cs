using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>What a newcomer sees: the demo clinic in Development, and the first administrator in Production.</summary>
public sealed class FirstRun(DevelopmentClinicFactory factory, ITestOutputHelper output) : IClassFixture<DevelopmentClinicFactory>
{
    [Fact]
    public async Task TheDemoClinicianLogsInAndCreatesAPatientACaseAndAScreening()
    {
        using var session = factory.Session();
        var home = await session.FollowAsync(await session.LogInAsync(DemoData.ClinicianEmail, DemoData.Password));
        Assert.Contains("Demo-Okafor", home.Text);

        var created = await session.SubmitAsync(await session.GetAsync("/Patients/Create"), "form[action='/Patients/Create']", Fields(
            ("Mrn", "NEW-0001"), ("GivenName", "Elena"), ("FamilyName", "Ibáñez"), ("DateOfBirth", "1966-07-30"), ("Sex", "Female")));
        var patientId = created.Location!.Split('/').Last();
        var opened = await session.SubmitAsync(await session.GetAsync($"/Cases/Create?patientId={patientId}"), "form[action='/Cases/Create']",
            Fields(("Knee", "Right"), ("CellSource", "Adipose")));
        var casePage = await session.FollowAsync(opened);
        var caseId = casePage.Url.Split('/').Last();
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");
        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action$='/Screening/Checkup/{caseId}']",
            Fields(("Checkup.CheckupDate", today), ("Checkup.BaselinePainNrs", "6"))));
        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action$='/Screening/AddImaging/{caseId}']",
            Fields(("Imaging.Modality", "XRay"), ("Imaging.PerformedOn", today), ("Imaging.Findings", "Moderate narrowing"), ("Imaging.KellgrenLawrenceGrade", "2"))));
        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action$='/Screening/Decide/{caseId}']",
            Fields(("Decision.Outcome", "Eligible"))));

        Assert.Equal("Eligible", casePage.Document.QuerySelector("#case-stage")!.TextContent);
    }

    [Fact]
    public async Task DemoDataIsSeededOnceWithBothAccounts()
    {
        await DemoData.SeedAsync(factory.Services, TextWriter.Null);

        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        Assert.True(await users.IsInRoleAsync((await users.FindByEmailAsync(DemoData.AdminEmail))!, Roles.Administrator));
        Assert.True(await users.IsInRoleAsync((await users.FindByEmailAsync(DemoData.ClinicianEmail))!, Roles.Clinician));
        var demo = Mrn.StartingWith("DEMO-")!.Value;
        Assert.Equal(9, await factory.QueryAsync(db => db.Patients.CountAsync(p => p.Mrn >= demo.From && p.Mrn < demo.Before)));

        // A case at every stage, with what each stage brings: forms, products, visits in the past, events, an overdue visit.
        var stages = await factory.QueryAsync(db => db.Cases
            .Where(c => db.Patients.Any(p => p.Id == c.PatientId && p.Mrn >= demo.From && p.Mrn < demo.Before))
            .GroupBy(c => c.Stage).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        Assert.Equal(new Dictionary<CaseStage, int>
        {
            [CaseStage.Screening] = 2,
            [CaseStage.Eligible] = 2,
            [CaseStage.Consented] = 1,
            [CaseStage.ProductReleased] = 1,
            [CaseStage.FollowUp] = 2,
            [CaseStage.Completed] = 1,
        }, stages);
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(5, await factory.QueryAsync(db => db.ConsentDocuments.CountAsync(d => d.Status == Core.Consent.ConsentStatus.Signed)));
        Assert.True(await factory.QueryAsync(db => db.FollowUpVisits.CountAsync(v => v.Status == Core.FollowUp.VisitStatus.Completed)) >= 10);
        Assert.True(await factory.QueryAsync(db => db.FollowUpVisits.AnyAsync(v => v.Status == Core.FollowUp.VisitStatus.Scheduled && v.WindowCloses < today)));
        Assert.Equal(2, await factory.QueryAsync(db => db.AdverseEvents.CountAsync()));
    }

    [Fact]
    public async Task ProductionHasNoDemoAccountAndCreateAdminMakesTheFirstAdministrator()
    {
        var folder = Directory.CreateTempSubdirectory("kneeclinic-prod-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["Database:DataDirectory"] = folder;
        builder.Configuration["Clinic:PublicBaseUrl"] = "https://clinic.example";
        builder.Configuration["Audit:ChainKeys:production-test"] = ClinicFactory.ProductionChainKey;
        builder.Configuration["Audit:HeadsFolder"] = Path.Combine(folder, "audit-heads");
        builder.AddKneeClinic();
        await using var app = builder.Build();
        await app.PrepareDatabaseAsync();

        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Empty(scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().Users);

        var console = new StringWriter();
        var usage = await CreateAdminCommand.RunAsync(app, [], new StringReader(""), console);
        Assert.Equal(2, usage);
        var weak = await CreateAdminCommand.RunAsync(app, ["--email", "boss@clinic.test"], new StringReader("short\n"), console);
        Assert.Equal(1, weak);
        var ok = await CreateAdminCommand.RunAsync(app, ["--email", "boss@clinic.test", "--name", "Clinic Boss"],
            new StringReader("a long enough passphrase\n"), console);
        Assert.Equal(0, ok);
        output.WriteLine(console.ToString());

        await using var check = app.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var boss = await users.FindByEmailAsync("boss@clinic.test");
        Assert.NotNull(boss);
        Assert.Equal("Clinic Boss", boss.DisplayName);
        Assert.True(await users.CheckPasswordAsync(boss, "a long enough passphrase"));
        Assert.Equal([Roles.Administrator], await users.GetRolesAsync(boss));
        Assert.Single(users.Users);
    }

    /// <summary>Runs the README's run command as a newcomer would (already built) and logs in as the demo clinician.</summary>
    [Fact]
    public async Task TheReadmeRunCommandServesTheLoginPage()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var command = Regex.Match(readme, @"^\s+(dotnet run --project \S+)\s*$", RegexOptions.Multiline).Groups[1].Value;
        Assert.Equal("dotnet run --project src/KneeClinic.Web", command);

        var port = FreePort();
        var data = Directory.CreateTempSubdirectory("kneeclinic-readme-").FullName;
        var start = new ProcessStartInfo("dotnet", $"{command["dotnet ".Length..]} --no-build -- --urls http://127.0.0.1:{port}")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Database__DataDirectory"] = data;
        using var process = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
            { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? login = null;
            // A loaded machine (CI with other work) can take a minute to migrate and seed: wait up to three.
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (login is null && !process.HasExited && DateTime.UtcNow < deadline)
            {
                try { login = await client.GetAsync("/Account/Login"); }
                catch (HttpRequestException) { await Task.Delay(500); }
            }
            Assert.True(login is not null, "The app did not answer. Its output:\n" + string.Join("\n", log));
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Contains(log, line => line.Contains(DemoData.ClinicianEmail) && line.Contains(DemoData.Password));

            var html = await login.Content.ReadAsStringAsync();
            var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var signedIn = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = DemoData.ClinicianEmail,
                ["Password"] = DemoData.Password,
                ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Patients")).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The folder of KneeClinic.sln, above the test's output folder.</summary>
    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KneeClinic.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("KneeClinic.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
