using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;
using Microsoft.Playwright;

namespace KneeClinic.Benchmarks;

/// <summary>
/// Renders a real consent (template parsed once, as the app caches it) pinned to one core, for a different patient and
/// document number each time, as the clinic would: caches of template text help, patient data is laid out, encoded and
/// subset afresh. Reported per page as well as per form. Budgets: 1.0 ms a page, 60 KB a form.
/// Run: dotnet run -c Release --project tests/KneeClinic.Benchmarks -- --filter '*ConsentPdf*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneCore))]
public class ConsentPdfBenchmark
{
    private FontSet _fonts = null!;
    private ConsentRenderer _renderer = null!;
    private ConsentTemplateText _template = null!;
    private ConsentRequest _sample = null!;
    private int _next;

    [Params("bone-marrow.en.md", "bone-marrow.es.md", "adipose.en.md", "adipose.es.md", "umbilical-cord.en.md", "umbilical-cord.es.md")]
    public string Template { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _fonts = FontSet.Load();
        _renderer = new ConsentRenderer(_fonts);
        _template = Forms.Template(Template);
        _sample = Forms.Sample(_template);
        var sample = _renderer.Render(_template, _sample);
        PerPageColumn.Pages[Template] = sample.Pages;
        Console.WriteLine($"// {Template}: {sample.Pages} pages, {sample.Pdf.Length:N0} bytes ({sample.Pdf.Length / 1024.0:F1} KB)");
    }

    [GlobalCleanup]
    public void Cleanup() => _fonts.Dispose();

    [Benchmark]
    public int RenderConsent() => _renderer.Render(_template, Forms.Patient(_sample, ++_next)).Pdf.Length;
}

/// <summary>
/// The same form printed by headless Chromium from its HTML page (warm browser: one page reused), for comparison.
/// Run: dotnet run -c Release --project tests/KneeClinic.Benchmarks -- --filter '*Chromium*'
/// </summary>
[Config(typeof(OneCore))]
public class ChromiumPdfBenchmark
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private FontSet _fonts = null!;
    private ConsentRenderer _renderer = null!;
    private ConsentTemplateText _template = null!;
    private ConsentRequest _sample = null!;
    private int _next;

    [Params("bone-marrow.en.md", "umbilical-cord.es.md")]
    public string Template { get; set; } = "";

    [GlobalSetup]
    public async Task Setup()
    {
        _fonts = FontSet.Load();
        _renderer = new ConsentRenderer(_fonts);
        _template = Forms.Template(Template);
        _sample = Forms.Sample(_template);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        _page = await _browser.NewPageAsync();
        var pdf = await PrintAsync();
        PerPageColumn.Pages["chromium " + Template] = CountPages(pdf);
        Console.WriteLine($"// {Template} through Chromium: {CountPages(pdf)} pages, {pdf.Length:N0} bytes");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _fonts.Dispose();
    }

    [Benchmark]
    public async Task<int> PrintWithChromium() => (await PrintAsync()).Length;

    private async Task<byte[]> PrintAsync()
    {
        await _page.SetContentAsync(ConsentRenderer.Html(_template, Forms.Patient(_sample, ++_next)));
        return await _page.PdfAsync(new() { Format = "Letter", PrintBackground = true });
    }

    private static int CountPages(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;
}

/// <summary>The templates and the patients the benchmarks render.</summary>
internal static class Forms
{
    // Names with letters beyond the template's own, so the fonts' subsets differ from document to document.
    private static readonly string[] Patients =
    [
        "Zoë Müller-Øvergård", "María José Núñez", "John O'Brien", "Nguyễn Thị Lan",
        "Pat Smith", "Søren Kierkegaard-Berg", "Ana-Lucía Peña", "Chloé Dubois-Lefèvre",
    ];

    public static ConsentTemplateText Template(string file) => ConsentTemplateText.Parse(File.ReadAllText(Path.Combine(Folder(), file)));

    public static IEnumerable<string> Files() => Directory.GetFiles(Folder(), "*.md").Select(Path.GetFileName).OfType<string>()
        .Where(f => !f.StartsWith("short-form.")).Order();

    public static ConsentRequest Sample(ConsentTemplateText template) =>
        ConsentRequest.Sample(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), template.Header.Language);

    public static ConsentRequest Patient(ConsentRequest sample, int n) => sample with
    {
        PatientName = Patients[n % Patients.Length],
        PatientMrn = $"MRN{n * 7919 % 1_000_000:D6}",
        DocumentNumber = $"KC-2026-{n:D6}",
    };

    private static string Folder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "templates", "consent"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "templates", "consent");
    }
}

/// <summary>The median divided by the form's page count.</summary>
public sealed class PerPageColumn : IColumn
{
    public static readonly ConcurrentDictionary<string, int> Pages = new();

    public string Id => nameof(PerPageColumn);
    public string ColumnName => "Median/page";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => 10;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Time;
    public string Legend => "Median time divided by the number of pages of the form";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var template = benchmarkCase.Parameters["Template"]?.ToString() ?? "";
        var key = benchmarkCase.Descriptor.Type == typeof(ChromiumPdfBenchmark) ? "chromium " + template : template;
        if (summary[benchmarkCase]?.ResultStatistics is not { } stats || !Pages.TryGetValue(key, out var pages) || pages == 0) return "?";
        return $"{stats.Median / pages / 1_000_000:F3} ms ({pages} p.)";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}

internal sealed class OneCore : ManualConfig
{
    public OneCore()
    {
        // A long warm-up: in-process runs otherwise measure the first case while tiered JIT is still recompiling.
        AddJob(Job.Default.WithAffinity(1).WithWarmupCount(30).WithToolchain(InProcessEmitToolchain.Instance).WithId("one-core"));
        AddColumn(StatisticColumn.Median, StatisticColumn.P95, new PerPageColumn());
    }
}

/// <summary>
/// <c>memory [count]</c>: renders that many forms (1,000 by default) in this one process, cycling through the six
/// templates and eight patients, and prints the peak working set; the budget is 200 MB.
/// </summary>
internal static class MemoryRun
{
    public static int Run(int count)
    {
        using var fonts = FontSet.Load();
        var renderer = new ConsentRenderer(fonts);
        var templates = Forms.Files().Select(Forms.Template).ToList();
        long bytes = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var template = templates[i % templates.Count];
            bytes += renderer.Render(template, Forms.Patient(Forms.Sample(template), i) with { LargePrint = i % 10 == 0 }).Pdf.Length;
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"{count} forms, {bytes / 1024.0 / count:F1} KB each on average, {started.Elapsed.TotalSeconds:F1} s; " +
            $"peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB, managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F0} MB");
        return process.PeakWorkingSet64 <= 200L * 1024 * 1024 ? 0 : 1;
    }
}

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.FirstOrDefault() == "load") return LoadRun.RunAsync(args[1..]).GetAwaiter().GetResult();
        if (args.FirstOrDefault() == "memory") return MemoryRun.Run(args.Length > 1 ? int.Parse(args[1]) : 1000);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
