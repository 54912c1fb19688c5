using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The built app runs as its own process on a SQLite file and is killed (SIGKILL) while clinicians are
/// saving patients and generating consent forms. The file must pass SQLite's integrity check, keep every
/// write that was answered as saved, hold no half-written consent, audit every row, and start again.
/// </summary>
public sealed class KilledProcess(ITestOutputHelper output) : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly string _data = Directory.CreateTempSubdirectory("kneeclinic-killed-").FullName;
    private readonly ConcurrentQueue<string> _console = new();

    [Fact]
    public async Task AProcessKilledDuringWritesLeavesAnIntactDatabaseWithNoHalfWrittenConsent()
    {
        var watch = Stopwatch.StartNew();
        var admin = await RunToEndAsync("create-admin", "--email", "admin@killed.test", "--name", "First Admin");
        Assert.True(admin == 0, $"create-admin exited with {admin}:\n{string.Join('\n', _console)}");

        output.WriteLine($"create-admin done at {watch.Elapsed.TotalSeconds:F1} s");
        var (app, url) = await StartAsync();
        output.WriteLine($"app healthy at {watch.Elapsed.TotalSeconds:F1} s");
        List<(string Id, string Mrn)> acknowledgedPatients = [];
        List<string> acknowledgedConsents = [];
        try
        {
            using var administrator = Session(url);
            Assert.Equal(HttpStatusCode.Redirect, (await administrator.LogInAsync("admin@killed.test", Password)).Status);
            var staff = await administrator.SubmitAsync(await administrator.GetAsync("/Staff/Create"), "form[action='/Staff/Create']", Fields(
                ("DisplayName", "Dr Kill Test"), ("Email", "clinician@killed.test"), ("InitialPassword", Password), ("Clinician", "true")));
            Assert.Equal(HttpStatusCode.Redirect, staff.Status);

            using var clinician = Session(url);
            Assert.Equal(HttpStatusCode.Redirect, (await clinician.LogInAsync("clinician@killed.test", Password)).Status);
            var caseId = await EligibleCaseAsync(clinician);
            var createForm = await clinician.GetAsync("/Patients/Create");
            var casePage = await clinician.GetAsync($"/Cases/Consent/{caseId}");
            Assert.NotNull(casePage.Document.QuerySelector("#generate-consent"));
            output.WriteLine($"clinician and eligible case ready at {watch.Elapsed.TotalSeconds:F1} s");

            // Writers in parallel: patients and consent forms, until the process dies under them.
            var patients = new ConcurrentQueue<(string, string)>();
            var consents = new ConcurrentQueue<string>();
            var answered = 0;
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; ; i++)
                {
                    try
                    {
                        if (w % 4 == 0)
                        {
                            // Each form is generated from the case as it stands now, as a clinician reloading the page would.
                            var current = i == 0 ? casePage : await clinician.GetAsync($"/Cases/Consent/{caseId}");
                            // After the first, a form waits for its signature: each new one replaces it, with the reason.
                            var generated = await clinician.SubmitAsync(current, "#generate-consent",
                                Fields(("Consent.Language", "en"), ("Consent.ReplaceReason", "printed again")));
                            // Two forms generated on one case at the same moment: one wins, the other is told so and nothing of it is kept.
                            if (generated.Status == HttpStatusCode.OK
                                && generated.Document.QuerySelector("#flash-error")?.TextContent.Contains(Infrastructure.Saves.ConflictMessage) == true)
                                continue;
                            Assert.Equal(HttpStatusCode.Redirect, generated.Status);
                            consents.Enqueue($"{w}-{i}");
                        }
                        else
                        {
                            var mrn = $"K-{w}-{i:D4}";
                            var saved = await clinician.SubmitAsync(createForm, "form[action='/Patients/Create']", Fields(
                                ("Mrn", mrn), ("GivenName", "Killian"), ("FamilyName", $"Writeson {w}-{i}"), ("DateOfBirth", "1960-02-02"), ("Sex", "Male")));
                            Assert.Equal(HttpStatusCode.Redirect, saved.Status);
                            patients.Enqueue((saved.Location!.Split('/').Last(), mrn));
                        }
                        Interlocked.Increment(ref answered);
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            })).ToList();

            var deadline = Stopwatch.StartNew();
            // The kill comes once both kinds of write have been answered (a consent form is the slower one: a PDF is drawn).
            while ((Volatile.Read(ref answered) < 60 || consents.IsEmpty) && deadline.Elapsed < TimeSpan.FromSeconds(60) && writers.All(t => !t.IsCompleted))
                await Task.Delay(20);
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            var answeredAtKill = Volatile.Read(ref answered);
            await Task.WhenAll(writers);
            acknowledgedPatients = [.. patients];
            acknowledgedConsents = [.. consents];
            output.WriteLine($"killed after {answeredAtKill} answered writes ({acknowledgedPatients.Count} patients, {acknowledgedConsents.Count} consent forms), " +
                $"{writers.Count} writers in flight, at {watch.Elapsed.TotalSeconds:F1} s");
            Assert.True(acknowledgedPatients.Count > 0 && acknowledgedConsents.Count > 0, "nothing was written before the kill");
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            app.Dispose();
        }

        // The file as the killed process left it.
        SqliteConnection.ClearAllPools();
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_data, "kneeclinic.db")};Mode=ReadWrite;Pooling=False"))
        {
            await db.OpenAsync();
            var integrity = await ScalarAsync(db, "PRAGMA integrity_check");
            var patientIds = await ColumnAsync(db, "SELECT lower(Id) FROM Patients");
            var patientAudits = await ColumnAsync(db, "SELECT lower(EntityId) FROM AuditEntries WHERE Entity = 'Patient' AND Action = 'Created'");
            var consentAudits = await ColumnAsync(db, "SELECT lower(EntityId) FROM AuditEntries WHERE Entity = 'ConsentDocument' AND Action = 'Created'");
            var consents = new List<(string Id, byte[] Content, string Sha256)>();
            await using (var command = db.CreateCommand())
            {
                command.CommandText = "SELECT lower(Id), Content, Sha256 FROM ConsentDocuments";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    consents.Add((reader.GetString(0), reader.IsDBNull(1) ? [] : (byte[])reader[1], reader.IsDBNull(2) ? "" : reader.GetString(2)));
            }
            var complete = consents.Count(c => c.Content.Length > 0 && Convert.ToHexStringLower(SHA256.HashData(c.Content)) == c.Sha256
                && Encoding.ASCII.GetString(c.Content, 0, 5) == "%PDF-");
            output.WriteLine($"after the kill: integrity_check {integrity}; {patientIds.Count} patients stored ({acknowledgedPatients.Count} answered as saved), " +
                $"{patientIds.Count(patientAudits.Contains)} with their audit entry; {consents.Count} consent forms stored " +
                $"({acknowledgedConsents.Count} answered), {complete} complete with a matching SHA-256, {consents.Count(c => consentAudits.Contains(c.Id))} audited");

            Assert.Equal("ok", integrity);
            Assert.All(acknowledgedPatients, p => Assert.Contains(p.Id.ToLowerInvariant(), patientIds));
            Assert.All(patientIds, id => Assert.Contains(id, patientAudits));
            Assert.True(consents.Count >= acknowledgedConsents.Count, $"{acknowledgedConsents.Count} consent forms answered as saved, {consents.Count} stored");
            Assert.Equal(consents.Count, complete);
            Assert.All(consents, c => Assert.Contains(c.Id, consentAudits));
        }
        SqliteConnection.ClearAllPools();

        // The app starts again on the same file and reports healthy.
        var (again, againUrl) = await StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(againUrl) };
            var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
            using var clinician = Session(againUrl);
            Assert.Equal(HttpStatusCode.Redirect, (await clinician.LogInAsync("clinician@killed.test", Password)).Status);
            var (id, _) = acknowledgedPatients[^1];
            Assert.Contains("Writeson", (await clinician.GetAsync($"/Patients/Details/{id}")).Text);
        }
        finally
        {
            again.Kill(entireProcessTree: true);
            await again.WaitForExitAsync();
            again.Dispose();
        }
        // Patient names never reach the console log.
        Assert.DoesNotContain(_console, l => l.Contains("Writeson") || l.Contains("Killian"));
        output.WriteLine($"restarted healthy; {watch.Elapsed.TotalSeconds:F1} s in all");
    }

    private static async Task<Guid> EligibleCaseAsync(WebSession session)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var saved = await session.SubmitAsync(await session.GetAsync("/Patients/Create"), "form[action='/Patients/Create']", Fields(
            ("Mrn", "K-CASE"), ("GivenName", "Killian"), ("FamilyName", "Casey"), ("DateOfBirth", "1958-07-07"), ("Sex", "Male")));
        var patientId = saved.Location!.Split('/').Last();
        var opened = await session.SubmitAsync(await session.GetAsync($"/Cases/Create?patientId={patientId}"), "form[action='/Cases/Create']",
            Fields(("Knee", "Left"), ("CellSource", "BoneMarrow"), ("KellgrenLawrenceGrade", "3")));
        var casePage = await session.FollowAsync(opened);
        var caseId = casePage.Url.Split('/').Last();
        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action$='/Screening/Checkup/{caseId}']", Fields(
            ("Checkup.CheckupDate", today.AddDays(-1).ToString("yyyy-MM-dd")), ("Checkup.BaselinePainNrs", "6"))));
        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action$='/Screening/AddImaging/{caseId}']", Fields(
            ("Imaging.Modality", "XRay"), ("Imaging.PerformedOn", today.AddDays(-10).ToString("yyyy-MM-dd")), ("Imaging.Findings", "Narrowing."),
            ("Imaging.KellgrenLawrenceGrade", "3"))));
        var decided = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action$='/Screening/Decide/{caseId}']",
            Fields(("Decision.Outcome", "Eligible"))));
        Assert.Equal("Eligible", decided.Document.QuerySelector("#case-stage")?.TextContent);
        return Guid.Parse(caseId);
    }

    private static WebSession Session(string url) =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        { BaseAddress = new Uri(url) });

    private ProcessStartInfo StartInfo(params string[] arguments)
    {
        var (dll, repository) = Locate();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in new[]
        {
            ("--Database:Provider", "Sqlite"), ("--Database:DataDirectory", _data), ("--ConnectionStrings:Sqlite", ""),
            ("--Seed:Demo", "false"), ("--Clinic:TemplateDirectory", Path.Combine(repository, "templates", "consent")),
            // This test is about writes and kills; two-factor sign-in of administrators is tested in SignIn and TwoFactorRules.
            ("--Security:RequireTwoFactorForAdministrators", "false"), ("--Security:RequireTwoFactorForClinicians", "false"),
            // Production without the TLS proxy in front: plain HTTP on loopback, cookies without Secure.
            ("--Network:RequireHttps", "false"),
            ("--Clinic:PublicBaseUrl", "https://clinic.example"), ("--AllowedHosts", "127.0.0.1;localhost"),
            ("--Audit:ChainKeys:production-test", ClinicFactory.ProductionChainKey), ("--Audit:HeadsFolder", Path.Combine(_data, "audit-heads")),
        })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["KNEECLINIC_ADMIN_PASSWORD"] = Password;
        return start;
    }

    private Process Launch(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _console.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _console.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return process;
    }

    private async Task<int> RunToEndAsync(params string[] arguments)
    {
        using var process = Launch(StartInfo(arguments));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    private async Task<(Process App, string Url)> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var app = Launch(StartInfo("--urls", url));
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (app.HasExited)
                throw new InvalidOperationException($"The app exited with {app.ExitCode}:\n{string.Join('\n', _console)}");
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return (app, url);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        app.Kill(entireProcessTree: true);
        throw new TimeoutException($"The app did not report healthy within 60 s:\n{string.Join('\n', _console)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The app as built next to this test (same configuration and framework), and the repository root.</summary>
    private static (string Dll, string Repository) Locate()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "KneeClinic.sln"))) continue;
            var dll = Path.Combine(dir.FullName, "src", "KneeClinic.Web", "bin", configuration, framework, "KneeClinic.Web.dll");
            Assert.True(File.Exists(dll), $"The app is not built at {dll}");
            return (dll, dir.FullName);
        }
        throw new InvalidOperationException($"No KneeClinic.sln above {here.FullName}");
    }

    private static async Task<string> ScalarAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync()) ?? "";
    }

    private static async Task<HashSet<string>> ColumnAsync(SqliteConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new HashSet<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
