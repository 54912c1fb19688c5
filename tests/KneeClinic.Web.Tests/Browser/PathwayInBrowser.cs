using System.Collections.Concurrent;
using System.Text.Json;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>
/// What the browser tests share: a real Chromium on the clinic's own server, and the steps a clinician takes in it by
/// clicking and typing, with the clinic's clock moved on between visits. No JavaScript error may occur on the way, and
/// the browser may ask nothing of any host but the clinic's own server. Each test is a class of its own (its own
/// server and clock), so they run side by side.
/// </summary>
public abstract class PathwayInBrowser(BrowserClinicFactory factory, ITestOutputHelper output) : IClassFixture<BrowserClinicFactory>, IAsyncLifetime
{
    protected BrowserClinicFactory Factory => factory;
    protected ITestOutputHelper Output => output;
    protected IPage Page => page;

    protected static readonly byte[] Scan = [.. "%PDF-1.4\n% signed consent\n"u8, .. new byte[500]];
    protected static readonly string[] Visits = ["2 weeks", "6 weeks", "3 months", "6 months", "12 months"];

    private readonly ConcurrentQueue<string> problems = new();
    private readonly ConcurrentQueue<string> requests = new();
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private IPage page = null!;

    protected DateTimeOffset Now => factory.Clock.GetUtcNow();
    protected static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm");
    protected string Today(int plusDays = 0) => DateOnly.FromDateTime(Now.UtcDateTime).AddDays(plusDays).ToString("yyyy-MM-dd");

    public async Task InitializeAsync()
    {
        var server = factory.Address;
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new() { BaseURL = server.ToString(), Locale = "en-GB", TimezoneId = "UTC" });
        page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Enqueue($"console error on {page.Url}: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => problems.Enqueue($"page error on {page.Url}: {error}");
        page.Request += (_, request) => requests.Enqueue(request.Url);
        output.WriteLine($"Server at {server}");
    }

    public async Task DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }

    // ---- What a person does in the browser ----

    protected sealed record Staff(string Email, string Name);

    protected async Task<Staff> ClinicianAsync()
    {
        var email = $"clinician-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        return new Staff(email, user.DisplayName);
    }

    protected async Task GoAsync(string path) => Assert.True((await page.GotoAsync(path))!.Ok, $"GET {path}");

    /// <summary>Clicks and waits until the page that comes back has loaded (its scripts have run).</summary>
    protected async Task ClickAndWaitAsync(ILocator target)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage _) => loaded.TrySetResult();
        // What the browser asked for and got while waiting, to tell a click that sent nothing from a slow answer.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var traffic = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnRequest(object? sender, IRequest r) => traffic.Enqueue($"{started.ElapsedMilliseconds} ms: {r.Method} {new Uri(r.Url).AbsolutePath}");
        void OnResponse(object? sender, IResponse r) => traffic.Enqueue($"{started.ElapsedMilliseconds} ms: {r.Status} {new Uri(r.Url).AbsolutePath}");
        void OnFailed(object? sender, IRequest r) => traffic.Enqueue($"{started.ElapsedMilliseconds} ms: failed {new Uri(r.Url).AbsolutePath} {r.Failure}");
        page.Load += OnLoad;
        page.Request += OnRequest;
        page.Response += OnResponse;
        page.RequestFailed += OnFailed;
        try
        {
            await target.ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No new page came after clicking {target}; still on {page.Url}. Shown: {await ErrorsAsync()}. " +
                $"Requests: {(traffic.IsEmpty ? "none" : string.Join("; ", traffic))}");
        }
        finally
        {
            page.Load -= OnLoad;
            page.Request -= OnRequest;
            page.Response -= OnResponse;
            page.RequestFailed -= OnFailed;
        }
    }

    protected async Task LogInAsync(Staff who)
    {
        await GoAsync("/Account/Login");
        var form = page.Locator("form[action^='/Account/Login']");
        await form.GetByLabel("Email").FillAsync(who.Email);
        await form.GetByLabel("Password").FillAsync(ClinicFactory.Password);
        await ClickAndWaitAsync(form.GetByRole(AriaRole.Button, new() { Name = "Log in" }));
        Assert.EndsWith("/Dashboard", page.Url);
    }

    /// <summary>Moves the clinic's clock on; past the 20-minute idle limit the clinician logs in again, as they must.</summary>
    protected async Task AdvanceAsync(TimeSpan by, Staff clinician)
    {
        factory.Clock.Advance(by);
        if (by >= TimeSpan.FromMinutes(15)) await LogInAsync(clinician);
    }

    /// <summary>Types into text, number and date boxes, picks from lists (by value or label), ticks radios and check boxes.</summary>
    protected static async Task FillAsync(ILocator form, params (string Name, string Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            var field = form.Locator($"[name='{name}']:not([type=hidden])");
            switch (await field.First.EvaluateAsync<string>("e => e.type"))
            {
                case "radio": await field.And(form.Locator($"[value='{value}']")).CheckAsync(); break;
                case "checkbox": await field.SetCheckedAsync(value == "true"); break;
                case "select-one": await field.SelectOptionAsync(value); break;
                default: await field.FillAsync(value); break;
            }
        }
    }

    protected async Task FillAndSubmitAsync(string formSelector, params (string Name, string Value)[] fields)
    {
        var form = page.Locator(formSelector);
        await FillAsync(form, fields);
        await ClickAndWaitAsync(form.Locator("button[type=submit]"));
    }

    /// <summary>Fills a form the app must accept, and checks it did: the browser comes back to a page of the case with no error shown.</summary>
    protected async Task SubmitOnCaseAsync(string formSelector, params (string Name, string Value)[] fields)
    {
        await FillAndSubmitAsync(formSelector, fields);
        Assert.Matches("/Cases/[A-Za-z]+/[0-9a-f-]{36}$", page.Url);
        Assert.Equal("", await ErrorsAsync());
    }

    /// <summary>The one "next step" button of a case's pages.</summary>
    protected async Task NextStepAsync() => await ClickAndWaitAsync(page.Locator("#next-step"));

    protected async Task<string> ErrorsAsync() =>
        string.Join(" | ", await page.Locator(".validation-summary-errors li, .field-validation-error, #flash-error").AllInnerTextsAsync());

    /// <summary>From the dashboard, as a clinician finds their case, then on to its next step.</summary>
    protected async Task OpenCaseAsync(Guid caseId)
    {
        await ClickAndWaitAsync(page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Dashboard" }));
        await ClickAndWaitAsync(page.Locator($"tr[data-case='{caseId}'] a[href^='/Cases/Details/']"));
        await NextStepAsync();
    }

    protected async Task<string> TextAsync(string selector) => (await page.Locator(selector).InnerTextAsync()).Trim();

    protected async Task TickKoosAsync(Func<int, int> answer)
    {
        var items = page.Locator("#koos tbody tr:not(.table-light)");
        Assert.Equal(42, await items.CountAsync());
        for (var i = 0; i < 42; i++)
            await items.Nth(i).Locator($"input[type=radio][value='{answer(i)}']").CheckAsync();
    }

    // ---- The pathway, screen by screen ----

    /// <summary>Registers a patient, opens a case for the right knee, screens it to eligible and records the baseline KOOS.</summary>
    protected async Task<Guid> ScreenedCaseAsync(string source, string givenName)
    {
        await ClickAndWaitAsync(page.Locator("nav").GetByRole(AriaRole.Link, new() { Name = "Patients" }));
        await ClickAndWaitAsync(page.GetByRole(AriaRole.Link, new() { Name = "New patient" }));
        await FillAndSubmitAsync("form[action='/Patients/Create']", ("Mrn", $"MRN-{Guid.NewGuid():N}"[..16]), ("GivenName", givenName),
            ("FamilyName", "Ortega"), ("DateOfBirth", "1958-07-02"), ("Sex", "Female"));
        Assert.Contains("/Patients/Details/", page.Url);

        await ClickAndWaitAsync(page.GetByRole(AriaRole.Link, new() { Name = "New case" }));
        await FillAndSubmitAsync("form[action='/Cases/Create']", ("Knee", "Right"), ("CellSource", source), ("KellgrenLawrenceGrade", "2"));
        Assert.Contains("/Cases/Screening/", page.Url);
        var caseId = Guid.Parse(new Uri(page.Url).Segments.Last());
        Assert.Equal("Screening", await TextAsync("#case-stage"));

        await SubmitOnCaseAsync($"form[action$='/Screening/Checkup/{caseId}']", ("Checkup.CheckupDate", Today()), ("Checkup.BaselinePainNrs", "7"));
        await SubmitOnCaseAsync($"form[action$='/Screening/AddImaging/{caseId}']", ("Imaging.Modality", "MRI"), ("Imaging.PerformedOn", Today(-10)),
            ("Imaging.Findings", "Cartilage thinning, medial compartment"), ("Imaging.KellgrenLawrenceGrade", "2"));
        Assert.Contains("Cartilage thinning", await TextAsync("#imaging"));
        await SubmitOnCaseAsync($"form[action$='/Screening/Decide/{caseId}']", ("Decision.Outcome", "Eligible"));
        Assert.Equal("Eligible", await TextAsync("#case-stage"));

        // Baseline KOOS on its own page: every item 2 ("moderate"), so each subscale is 50.
        await ClickAndWaitAsync(page.Locator("#baseline-koos").GetByRole(AriaRole.Link, new() { Name = "Record it" }));
        await TickKoosAsync(_ => 2);
        await ClickAndWaitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save baseline KOOS" }));
        Assert.Contains("pain 50", await TextAsync("#baseline-koos"));
        return caseId;
    }

    /// <summary>Prints the English consent form, then records the signature with the scanned copy uploaded.</summary>
    protected async Task ConsentAsync(Staff clinician)
    {
        await NextStepAsync();
        Assert.Contains("/Cases/Consent/", page.Url);
        await SubmitOnCaseAsync("#generate-consent", ("Consent.Language", "English"));
        var number = await page.Locator("#consents tr[data-number]").GetAttributeAsync("data-number");
        Assert.Contains("Awaiting signature", await TextAsync($"#consents tr[data-number='{number}']"));

        await AdvanceAsync(TimeSpan.FromMinutes(10), clinician);
        await ClickAndWaitAsync(page.GetByRole(AriaRole.Link, new() { Name = "Record signature" }));
        Assert.Contains("/Consents/Sign/", page.Url);
        var form = page.Locator("form[enctype='multipart/form-data']");
        await FillAsync(form, ("Form.SignedAt", Local(Now.AddMinutes(-5))), ("Form.TeachBackConfirmed", "true"));
        await form.Locator("input[name='Form.Scan']").SetInputFilesAsync(new FilePayload { Name = "scan.pdf", MimeType = "application/pdf", Buffer = Scan });
        await ClickAndWaitAsync(form.GetByRole(AriaRole.Button, new() { Name = "Record signature" }));
        Assert.Matches("/Cases/Consent/", page.Url);
        Assert.Equal("Consented", await TextAsync("#case-stage"));
        Assert.Contains("Signed", await TextAsync($"#consents tr[data-number='{number}']"));
        Assert.Equal(1, await page.Locator($"#consents tr[data-number='{number}']").GetByRole(AriaRole.Link, new() { Name = "Signed scan" }).CountAsync());
    }

    /// <summary>Records processing (or thaw and preparation) with a second clinician who types their own password: wrongly first.</summary>
    protected async Task ProcessAsync(Staff verifier, DateTimeOffset start)
    {
        (string, string)[] fields = [("Processing.Method", "Density-gradient concentration"), ("Processing.Device", "Separator CS-200"),
            ("Processing.KitLot", "KIT-5521"), ("Processing.KitExpiry", Today(90)),
            ("Processing.StartedAt", Local(start)), ("Processing.EndedAt", Local(start.AddMinutes(40))), ("Processing.OutputVolumeMl", "4.5"),
            ("Processing.TotalNucleatedCells", "1200000000"), ("Processing.ViabilityPercent", "94.5"), ("Processing.Release", "Released"),
            ("Processing.DecidedAt", Local(start.AddMinutes(45))), ("Processing.UseBy", Local(Now.AddHours(6))), ("Processing.VerifierId", verifier.Name), ("Processing.VerifierPassword", "not their password")];
        await FillAndSubmitAsync("#processing-form", fields);
        Assert.Contains("The second verifier's password is not right. They type it themselves.", await ErrorsAsync());
        Assert.Equal("", await page.Locator("#processing-form input[name='Processing.VerifierPassword']").InputValueAsync());
        Assert.Equal("KIT-5521", await page.Locator("#processing-form input[name='Processing.KitLot']").InputValueAsync());

        await SubmitOnCaseAsync("#processing-form", ("Processing.VerifierPassword", ClinicFactory.Password));
        Assert.Equal("Product released", await TextAsync("#case-stage"));
    }

    /// <summary>
    /// Reads the product's label, then does the time-out: a wrong product, the wrong knee and an identifier not confirmed are
    /// each stopped before the injection form opens; then the injection is recorded.
    /// </summary>
    protected async Task InjectAsync(Staff clinician, bool autologous)
    {
        await AdvanceAsync(TimeSpan.FromMinutes(10), clinician);
        // The case's pages show only the end of the code; the full code is on the printed label, with the patient.
        var productUrl = page.Url;
        await GoAsync((await page.Locator("#products tr[data-product] a[href^='/Procedures/Label/']").Last.GetAttributeAsync("href"))!);
        var code = await TextAsync("#product-code");
        Assert.Matches("^CP-[A-Z0-9]{10}$", code);
        Assert.Equal(1, await page.Locator("#label svg").CountAsync());
        Assert.Contains("Ortega", await TextAsync("#label-name"));
        Assert.Equal("2 Jul 1958", await TextAsync("#label-birth-date"));
        Assert.Equal(autologous ? 1 : 0, await page.Locator("#label-autologous").CountAsync());
        Assert.Equal(0, await page.Locator("nav").CountAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Print label" }).IsVisibleAsync());
        await GoAsync(productUrl);
        Assert.DoesNotContain(code, await page.ContentAsync());

        await NextStepAsync();
        Assert.Contains("/Cases/TimeOut/", page.Url);
        Assert.Contains("Ortega", await TextAsync("#time-out-name"));
        var form = "#time-out-form";
        await FillAndSubmitAsync(form, ("TimeOut.ProductCode", "CP-AAAAAAAAAA"), ("TimeOut.Knee", "Right"),
            ("TimeOut.NameAndBirthDateConfirmed", "true"), ("TimeOut.RecordNumberConfirmed", "true"));
        Assert.Contains(PathwayRules.ProductCodeMismatch.Message, await ErrorsAsync());
        await FillAndSubmitAsync(form, ("TimeOut.ProductCode", code), ("TimeOut.Knee", "Left"));
        Assert.Contains(PathwayRules.KneeMismatch.Message, await ErrorsAsync());
        Assert.StartsWith("STOP", PathwayRules.KneeMismatch.Message);
        await FillAndSubmitAsync(form, ("TimeOut.ProductCode", code), ("TimeOut.Knee", "Right"), ("TimeOut.NameAndBirthDateConfirmed", "false"));
        Assert.Contains(PathwayRules.IdentifiersNotConfirmed.Message, await ErrorsAsync());
        Assert.Equal(code, await page.Locator("#time-out-form input[name='TimeOut.ProductCode']").InputValueAsync());
        Assert.Equal(0, await page.Locator("#injection-form").CountAsync());

        await SubmitOnCaseAsync(form, ("TimeOut.NameAndBirthDateConfirmed", "true"));
        Assert.Contains("/Cases/Injection/", page.Url);
        await SubmitOnCaseAsync("#injection-form", ("Injection.UltrasoundGuided", "true"), ("Injection.VolumeMl", "4"), ("Injection.Approach", "Superolateral"),
            ("Injection.PerformedAt", Local(Now)), ("Injection.DischargeInstructionsGiven", "true"));
        Assert.Equal("Injected", await TextAsync("#case-stage"));
        Assert.Equal(5, await page.Locator("#visits tr[data-visit]").CountAsync());
        await ClickAndWaitAsync(page.Locator("nav[aria-label='Steps of this case']").GetByRole(AriaRole.Link, new() { Name = "Injection" }));
        Assert.Equal(code, await TextAsync("#injection-record dd.font-monospace"));
    }

    /// <summary>On the visit's due day the clinician logs in, goes from the dashboard to the case and records the visit with KOOS.</summary>
    protected async Task VisitAsync(Staff clinician, Guid caseId, string label, int pain, int koos)
    {
        var visit = await factory.QueryAsync(db => db.FollowUpVisits.SingleAsync(v => v.CaseId == caseId && v.Label == label));
        var due = new DateTimeOffset(visit.DueOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        factory.Clock.Advance(due - Now);
        await LogInAsync(clinician);
        await OpenCaseAsync(caseId);
        await ClickAndWaitAsync(page.Locator($"#visits tr[data-visit='{label}']").GetByRole(AriaRole.Link, new() { Name = "Record visit" }));
        Assert.Contains($"{label} follow-up visit", await TextAsync("h1"));
        await FillAsync(page.Locator("#visit-form"), ("Form.VisitedAt", Local(Now)), ("Form.PainNrs", pain.ToString()),
            ("Form.RehabilitationStage", "Early rehabilitation"), ("Form.Notes", "Walking without a stick"));
        await TickKoosAsync(_ => koos);
        await ClickAndWaitAsync(page.Locator("#visit-form").GetByRole(AriaRole.Button, new() { Name = "Record visit" }));
        Assert.Matches("/Cases/FollowUp/", page.Url);
        Assert.Equal("", await ErrorsAsync());
        Assert.Contains("Done", await TextAsync($"#visits tr[data-visit='{label}']"));
    }

    protected sealed record DrawnChart(string Measure, int Points, bool Drawn, int DrawnPoints);

    /// <summary>What Chart.js made of each outcome canvas on the case page.</summary>
    protected async Task<DrawnChart[]> ChartsAsync()
    {
        var json = await page.EvaluateAsync<string>("""
            () => JSON.stringify([...document.querySelectorAll('canvas.outcome-chart')].map(c => {
                const data = JSON.parse(c.dataset.chart);
                return { measure: data.measure, points: data.values.length, drawn: c.chart !== undefined,
                         drawnPoints: c.chart ? c.chart.data.datasets[0].data.length : 0 };
            }))
            """);
        return JsonSerializer.Deserialize<DrawnChart[]>(json, JsonSerializerOptions.Web)!;
    }

    /// <summary>No script failed and nothing was asked of any host but the clinic's own server.</summary>
    protected void AssertTheBrowserStayedClean()
    {
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));
        Assert.NotEmpty(requests);
        var server = factory.Address.GetLeftPart(UriPartial.Authority);
        Assert.All(requests, url => Assert.StartsWith(server + "/", url));
        output.WriteLine($"{requests.Count} requests, all to {server}");
    }
}
