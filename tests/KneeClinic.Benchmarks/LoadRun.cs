using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;
using OtpNet;

namespace KneeClinic.Benchmarks;

/// <summary>
/// The load benchmark (<c>load.sh</c> runs it): the published app in Production mode on loopback over a
/// generated database, signed in as a clinician and as an administrator, each page driven by wrk for a bounded
/// time, a small static file and <c>/health</c> in the same run. Prints requests/s, p50, p99, errors and the
/// process's peak memory per page, each page's share of the static file's rate, and the targets met or missed.
/// </summary>
public static class LoadRun
{
    private const string AdminEmail = "load.admin@clinic.example";
    private const string Password = "load-benchmark-Passw0rd!";

    private sealed record Page(string Name, string Path, string Cookie, double MinShare, string? Body = null);

    private sealed record Result(Page Page, double Rate, double P50, double P99, long Errors, long Requests, long PeakRssMb, double CpuMsPerRequest);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        Directory.CreateDirectory(options.Work);
        var app = Path.Combine(options.App, "KneeClinic.Web");
        if (!File.Exists(app))
        {
            Console.Error.WriteLine($"No published app at {app}: run load.sh, which publishes it first.");
            return 2;
        }

        var seeded = Path.Combine(options.Work, $"clinic-{options.Patients}-{options.Seed}.db");
        if (!File.Exists(seeded)) await SeedAsync(app, seeded, options);
        var database = Path.Combine(options.Work, "run.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(database + suffix);
        File.Copy(seeded, database);

        if (await AnswersAsync(options.Port))
        {
            Console.Error.WriteLine($"Something already answers on port {options.Port}: stop it or pass --port.");
            return 2;
        }
        using var server = StartApp(app, database, options.Port);
        try
        {
            var cold = await WaitHealthyAsync(server, options.Port);
            Console.WriteLine($"cold start to the first 200 of /health: {cold.TotalMilliseconds:F0} ms");
            using var memory = new MemorySampler(server.Id);

            var baseUrl = $"http://127.0.0.1:{options.Port}";
            using var admin = await SignInAdministratorAsync(baseUrl);
            using var clinician = await SignInAsync(baseUrl, options.ClinicianEmail, options.ClinicianPassword);
            var pages = await PagesAsync(database, admin, clinician, options);
            // --only "case page,search": just those pages (by part of their name), beside the static file, while working on them.
            if (options.Only is { Length: > 0 } only)
                pages = [.. pages.Where(p => p.MinShare == 0 || only.Split(',').Any(o => p.Name.Contains(o.Trim(), StringComparison.OrdinalIgnoreCase)))];

            var results = new List<Result>();
            var (adminCookie, clinicianCookie) = (admin.CookieHeader, clinician.CookieHeader);
            foreach (var listed in pages)
            {
                // The app issues the sign-in cookie again once it is a minute old, and a browser keeps the new one; wrk
                // sends one cookie throughout, so each page starts with a fresh one (a page's run is under a minute).
                await admin.GetAsync("/Manage");
                await clinician.GetAsync("/Manage");
                var page = listed.Cookie == adminCookie ? listed with { Cookie = admin.CookieHeader }
                    : listed.Cookie == clinicianCookie ? listed with { Cookie = clinician.CookieHeader }
                    : listed;
                await CheckAsync(baseUrl, page);
                memory.Reset();
                // A few seconds of the same load first, not counted: the code each page runs is compiled again, optimised,
                // after its first calls (tiered compilation), and a page measured first would carry that for the others.
                if (options.WarmUp > 0) await WrkAsync(baseUrl, page, options, options.WarmUp);
                // The app's processor time per request: steadier from run to run than the rate, which moves with whatever
                // else this machine's cores are doing, so a change that saves work shows even when the rate hides it.
                server.Refresh();
                var cpuBefore = server.TotalProcessorTime;
                var (rate, p50, p99, errors, requests) = await WrkAsync(baseUrl, page, options, options.Seconds);
                server.Refresh();
                var cpuPerRequest = (server.TotalProcessorTime - cpuBefore).TotalMilliseconds / Math.Max(1, requests);
                results.Add(new Result(page, rate, p50, p99, errors, requests, memory.PeakMb, cpuPerRequest));
                Console.WriteLine($"  {page.Name}: {rate:F0} requests/s, p99 {p99:F1} ms, {errors} errors");
            }
            return Report(results, cold, MemorySampler.HighWaterMb(server.Id), options);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        try
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/health");
            return true;
        }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    private static async Task SeedAsync(string app, string database, Options options)
    {
        Console.WriteLine($"Generating {options.Patients} patients (seed {options.Seed}) into {database} ...");
        var partial = database + ".partial";
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(partial + suffix);
        await RunToEndAsync(app, ["seed-demo", "--patients", options.Patients.ToString(CultureInfo.InvariantCulture),
            "--seed", options.Seed.ToString(CultureInfo.InvariantCulture)], partial, null, options.ClinicianPassword);
        await RunToEndAsync(app, ["create-admin", "--email", AdminEmail, "--name", "Load Benchmark"], partial, Password, null);
        // One file, nothing left in the write-ahead log, before it is copied for each run.
        using (var connection = new SqliteConnection($"Data Source={partial};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
            checkpoint.ExecuteNonQuery();
        }
        File.Move(partial, database);
    }

    private static async Task RunToEndAsync(string app, string[] arguments, string database, string? adminPassword, string? clinicianPassword)
    {
        var start = new ProcessStartInfo(app) { UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Configure(start, database);
        if (adminPassword is not null) start.Environment["KNEECLINIC_ADMIN_PASSWORD"] = adminPassword;
        if (clinicianPassword is not null) start.Environment["KNEECLINIC_DEMO_PASSWORD"] = clinicianPassword;
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', arguments)} exited with {process.ExitCode}.");
    }

    private static void Configure(ProcessStartInfo start, string database)
    {
        start.WorkingDirectory = Path.GetDirectoryName(start.FileName)!;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={database}";
        start.Environment["Clinic__PublicBaseUrl"] = "https://clinic.example";
        // Production needs a key for the audit chain; heads go beside the database.
        start.Environment["Audit__ChainKeys__load"] = "q3Zk0m6Jc8f0o2x7Qb1rVt4yLw9eHs5uNd3gKa6pRz0=";
        start.Environment["Audit__HeadsFolder"] = Path.Combine(Path.GetDirectoryName(database)!, "audit-heads");
        // wrk and the sign-in client name the loopback address, not the clinic's host, which Production alone would allow.
        start.Environment["AllowedHosts"] = "127.0.0.1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The load run signs clinicians in with the password alone; their two-factor enrolment is tested in TwoFactorRules.
        start.Environment["Security__RequireTwoFactorForClinicians"] = "false";
    }

    private static Process StartApp(string app, string database, int port)
    {
        var start = new ProcessStartInfo(app) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        Configure(start, database);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.WriteLine($"    app: {line}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.WriteLine($"    app: {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<TimeSpan> WaitHealthyAsync(Process server, int port)
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server.HasExited) throw new InvalidOperationException($"The app exited with {server.ExitCode} before answering.");
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/health");
                if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed;
            }
            catch (HttpRequestException) { }
            await Task.Delay(10);
        }
        throw new TimeoutException("The app did not answer /health within 60 seconds.");
    }

    // ---- signing in, as the browser does: the form, its antiforgery token, the cookie ----

    private sealed class Session : IDisposable
    {
        private readonly CookieJar _jar = new();

        public Session(string baseUrl)
        {
            Http = new HttpClient(_jar) { BaseAddress = new Uri(baseUrl) };
            // The app sits behind a TLS proxy in production; here loopback plays the proxy.
            Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        }

        public HttpClient Http { get; }

        public void Dispose() => Http.Dispose();

        /// <summary>The cookies as wrk sends them, Secure ones included (the proxy stands for TLS).</summary>
        public string CookieHeader => _jar.Header;

        public async Task<string> GetAsync(string path)
        {
            using var response = await Http.GetAsync(path);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync();
        }

        public async Task<(string Html, Uri Address)> PostFormAsync(string path, string html, IDictionary<string, string> fields)
        {
            var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = Token(html) };
            using var response = await Http.PostAsync(path, new FormUrlEncodedContent(values));
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadAsStringAsync(), response.RequestMessage!.RequestUri!);
        }
    }

    /// <summary>
    /// Keeps cookies by name and follows redirects itself: the app marks its cookies Secure in Production, which a
    /// CookieContainer would not send over loopback's plain HTTP, where this benchmark stands in for the TLS proxy.
    /// </summary>
    private sealed class CookieJar() : DelegatingHandler(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        private readonly Dictionary<string, string> _cookies = [];

        public string Header => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            for (var hops = 0; ; hops++)
            {
                if (_cookies.Count > 0) request.Headers.Add("Cookie", Header);
                var response = await base.SendAsync(request, cancellationToken);
                if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
                    foreach (var setCookie in setCookies)
                    {
                        var pair = setCookie.Split(';')[0];
                        var equals = pair.IndexOf('=', StringComparison.Ordinal);
                        var (name, value) = (pair[..equals], pair[(equals + 1)..]);
                        if (value.Length == 0 || setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(name);
                        else _cookies[name] = value;
                    }
                if ((int)response.StatusCode is < 300 or > 399 || response.Headers.Location is not { } location || hops == 10) return response;
                var next = new HttpRequestMessage(HttpMethod.Get, new Uri(request.RequestUri!, location));
                foreach (var header in request.Headers.Where(h => h.Key != "Cookie")) next.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Dispose();
                request = next;
            }
        }
    }

    private static string Token(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new InvalidOperationException("No antiforgery token on the page.");

    private static async Task<Session> SignInAsync(string baseUrl, string email, string password)
    {
        var session = new Session(baseUrl);
        var form = await session.GetAsync("/Account/Login");
        var (_, address) = await session.PostFormAsync("/Account/Login", form,
            new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        if (address.AbsolutePath.Contains("Login", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Signing in as {email} failed (still on {address.AbsolutePath}).");
        return session;
    }

    private static async Task<Session> SignInAdministratorAsync(string baseUrl)
    {
        var session = new Session(baseUrl);
        var form = await session.GetAsync("/Account/Login");
        var (html, address) = await session.PostFormAsync("/Account/Login", form,
            new Dictionary<string, string> { ["Email"] = AdminEmail, ["Password"] = Password });
        if (address.AbsolutePath.Contains("EnableAuthenticator", StringComparison.OrdinalIgnoreCase))
        {
            // Administrators must use two-factor login: enrol an authenticator as a person would.
            var key = new HtmlParser().ParseDocument(html).QuerySelector("kbd")?.TextContent.Replace(" ", "")
                ?? throw new InvalidOperationException("No authenticator key on the set-up page.");
            var code = new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();
            await session.PostFormAsync("/Manage/EnableAuthenticator", html, new Dictionary<string, string> { ["Code"] = code });
        }
        else if (address.AbsolutePath.Contains("Login", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Signing in as {AdminEmail} failed (on {address.AbsolutePath}).");
        return session;
    }

    // ---- the pages ----

    private static async Task<List<Page>> PagesAsync(string database, Session admin, Session clinician, Options options)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        string Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)
                ?? throw new InvalidOperationException($"Nothing found by: {sql}");
        }

        // A patient and a case in the middle of the data, and the patient at row 48,000 of the list (page 2,400).
        var patient = Scalar("SELECT Id FROM Patients ORDER BY Mrn LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM Patients)");
        var @case = Scalar("SELECT Id FROM Cases ORDER BY Id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM Cases)");
        var deep = await DeepPageAsync(clinician, connection, options.DeepRow);
        var searchForm = await clinician.GetAsync("/Patients");
        var search = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = options.SearchName,
            ["__RequestVerificationToken"] = Token(searchForm),
        });
        var searchBody = await search.ReadAsStringAsync();

        return
        [
            new("static file", "/css/site.css", "", 0),
            new("/health", "/health", "", 0),
            new("patient list, page 1", "/Patients", clinician.CookieHeader, 0.07),
            new($"patient list, row {options.DeepRow:N0}", deep, clinician.CookieHeader, 0.07),
            new($"patient search \"{options.SearchName}\"", "/Patients", clinician.CookieHeader, 0.07, searchBody),
            new("patient page", $"/Patients/Details/{patient}", clinician.CookieHeader, 0.05),
            new("case page", $"/Cases/Details/{@case}", clinician.CookieHeader, 0.05),
            new("dashboard, one clinician", "/Dashboard", clinician.CookieHeader, 0.05),
            new("dashboard, all clinicians", "/Dashboard?all=true", clinician.CookieHeader, 0.05),
            new("consent records", "/ConsentRecords", admin.CookieHeader, 0.07),
            new("audit trail", "/Audit", admin.CookieHeader, 0.07),
        ];
    }

    /// <summary>
    /// The list page holding a given row, reached the way a user gets there: by following "Next" links from
    /// page 1, here by taking the cursor of the row just before it, since the link carries only that row's id.
    /// </summary>
    private static async Task<string> DeepPageAsync(Session clinician, SqliteConnection connection, int row)
    {
        var first = await clinician.GetAsync("/Patients");
        var next = new HtmlParser().ParseDocument(first).QuerySelectorAll("a[data-page=Next]")
            .Select(a => a.GetAttribute("href")).FirstOrDefault(h => h is not null)
            ?? throw new InvalidOperationException("The patient list has no link to its next page.");
        // The link names the last row of page 1; put the row before the wanted one in its place.
        var lastOfPage1 = RowIds(first)[^1];
        string RowId(int offset)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT Id FROM Patients ORDER BY {PatientListOrder} LIMIT 1 OFFSET {offset}";
            return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
        }
        var deep = WebUtility.HtmlDecode(next).Replace(lastOfPage1, RowId(row - 2), StringComparison.OrdinalIgnoreCase);
        var shown = RowIds(await clinician.GetAsync(deep))[0];
        if (!string.Equals(shown, RowId(row - 1), StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The deep page does not start at row {row:N0}: the list's order is not {PatientListOrder}.");
        return deep;
    }

    /// <summary>The list's order, as the app sorts it (checked: the deep page's first row must follow this row).</summary>
    private const string PatientListOrder = "SearchName, Id";

    /// <summary>The patients a list page shows, by id, in order.</summary>
    private static List<string> RowIds(string html)
    {
        var ids = new HtmlParser().ParseDocument(html).QuerySelectorAll("a[href*='/Patients/Details/']")
            .Select(a => a.GetAttribute("href")!.Split('/').Last()).ToList();
        return ids.Count > 0 ? ids : throw new InvalidOperationException("The patient list shows no patient.");
    }

    private static async Task CheckAsync(string baseUrl, Page page)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        using var request = new HttpRequestMessage(page.Body is null ? HttpMethod.Get : HttpMethod.Post, page.Path);
        if (page.Cookie.Length > 0) request.Headers.Add("Cookie", page.Cookie);
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (page.Body is not null) request.Content = new StringContent(page.Body, Encoding.ASCII, "application/x-www-form-urlencoded");
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{page.Name} ({page.Path}) answered {(int)response.StatusCode}, not 200.");
    }

    private static async Task<(double Rate, double P50, double P99, long Errors, long Requests)> WrkAsync(string baseUrl, Page page, Options options, int seconds)
    {
        var script = Path.Combine(options.Work, "page.lua");
        var lua = new StringBuilder();
        lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"X-Forwarded-Proto\"] = \"https\"");
        if (page.Cookie.Length > 0) lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Cookie\"] = {LuaString(page.Cookie)}");
        if (page.Body is not null)
        {
            lua.AppendLine("wrk.method = \"POST\"");
            lua.AppendLine(CultureInfo.InvariantCulture, $"wrk.body = {LuaString(page.Body)}");
            lua.AppendLine("wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"");
        }
        lua.Append(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "load", "report.lua")));
        await File.WriteAllTextAsync(script, lua.ToString());

        var start = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-t2", $"-c{options.Connections}", $"-d{seconds}s", "--timeout", "5s", "-s", script, baseUrl + page.Path })
            start.ArgumentList.Add(argument);
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result for {page.Name}:\n{output}");
        using var json = JsonDocument.Parse(line["RESULT ".Length..]);
        var r = json.RootElement;
        long Count(string name) => r.GetProperty(name).GetInt64();
        var requests = Count("requests");
        var errors = Count("connect") + Count("read") + Count("write") + Count("status") + Count("timeout");
        return (requests / r.GetProperty("seconds").GetDouble(), r.GetProperty("p50").GetDouble(), r.GetProperty("p99").GetDouble(), errors, requests);
    }

    private static string LuaString(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static int Report(List<Result> results, TimeSpan cold, long peakMb, Options options)
    {
        var staticRate = results[0].Rate;
        var failures = new List<string>();
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture,
            $"{options.Patients:N0} patients (seed {options.Seed}), {options.Connections} connections, {options.Seconds} s per page after {options.WarmUp} s of warm-up, {Environment.ProcessorCount} cores");
        table.AppendLine();
        table.AppendLine("| page | requests/s | p50 ms | p99 ms | errors | peak RSS MB | share of static | app CPU ms per request |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var share = r.Rate / staticRate;
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Page.Name} | {r.Rate:F0} | {r.P50:F1} | {r.P99:F1} | {r.Errors} | {r.PeakRssMb} | {share:P1} | {r.CpuMsPerRequest:F2} |");
            if (r.P99 >= 100) failures.Add($"{r.Page.Name}: p99 {r.P99:F1} ms (target under 100 ms)");
            if (r.Errors > 0) failures.Add($"{r.Page.Name}: {r.Errors} errors of {r.Requests} (target none)");
            if (share < r.Page.MinShare) failures.Add($"{r.Page.Name}: {share:P1} of the static file's rate (target {r.Page.MinShare:P0})");
        }
        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture, $"Cold start to the first 200: {cold.TotalMilliseconds:F0} ms (target under 2,000 ms).");
        table.AppendLine(CultureInfo.InvariantCulture, $"Peak memory of the app over the run: {peakMb} MB (target under 400 MB).");
        if (cold > TimeSpan.FromSeconds(2)) failures.Add($"cold start {cold.TotalMilliseconds:F0} ms");
        if (peakMb >= 400) failures.Add($"peak memory {peakMb} MB");
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine();
        Console.WriteLine(failures.Count == 0 ? "All targets met." : "Targets missed:\n- " + string.Join("\n- ", failures));
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>Samples the app's resident memory every 50 ms; the kernel's high-water mark covers the whole run.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly int _pid;
        private readonly Timer _timer;
        private long _peakKb;

        public MemorySampler(int pid)
        {
            _pid = pid;
            _timer = new Timer(_ => Sample(), null, 0, 50);
        }

        public long PeakMb => Interlocked.Read(ref _peakKb) / 1024;

        public void Reset() => Interlocked.Exchange(ref _peakKb, 0);

        private void Sample()
        {
            var kb = Field(_pid, "VmRSS:");
            long seen;
            while (kb > (seen = Interlocked.Read(ref _peakKb)) && Interlocked.CompareExchange(ref _peakKb, kb, seen) != seen) { }
        }

        public static long HighWaterMb(int pid) => Field(pid, "VmHWM:") / 1024;

        private static long Field(int pid, string name)
        {
            try
            {
                var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
                return line is null ? 0 : long.Parse(line[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (IOException) { return 0; }
        }

        public void Dispose() => _timer.Dispose();
    }

    private sealed record Options(string Work, string App, int Patients, int Seed, int Seconds, int WarmUp, int Connections, int Port,
        int DeepRow, string SearchName, string ClinicianEmail, string ClinicianPassword, string Only)
    {
        public static Options Parse(string[] args)
        {
            string Get(string name, string fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }
            int Number(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            var work = Path.GetFullPath(Get("--work", "/tmp/kneeclinic-load"));
            return new Options(work, Path.GetFullPath(Get("--app", Path.Combine(work, "app"))),
                Number("--patients", 50_000), Number("--seed", 42), Number("--seconds", 15), Number("--warmup", 8), Number("--connections", 32),
                Number("--port", 5180), Number("--deep-row", 48_000), Get("--search", "mar"),
                Get("--clinician", "clinician1@seed.kneeclinic.test"), Password, Get("--only", ""));
        }
    }
}
