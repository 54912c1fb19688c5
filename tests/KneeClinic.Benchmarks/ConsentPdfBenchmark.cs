using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;

namespace KneeClinic.Benchmarks;

/// <summary>
/// Renders a real consent (template parsed once, as the app caches it) pinned to one core, for a different
/// patient and document number each time, as the clinic would: caches of template text help, patient data
/// is laid out, encoded and subset afresh. Targets: median 6 ms or less, 60 KB or less per document. Run: dotnet run -c Release --project tests/KneeClinic.Benchmarks
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

    // Names with letters beyond the template's own, so the fonts' subsets differ from document to document.
    private static readonly string[] Patients =
    [
        "Zoë Müller-Øvergård", "María José Núñez", "John O'Brien", "Nguyễn Thị Lan",
        "Pat Smith", "Søren Kierkegaard-Berg", "Ana-Lucía Peña", "Chloé Dubois-Lefèvre",
    ];

    [Params("bone-marrow.en.md", "umbilical-cord.es.md")]
    public string Template { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _fonts = FontSet.Load();
        _renderer = new ConsentRenderer(_fonts);
        _template = ConsentTemplateText.Parse(File.ReadAllText(Path.Combine(TemplatesFolder(), Template)));
        _sample = ConsentRequest.Sample(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var sample = _renderer.Render(_template, _sample);
        Console.WriteLine($"// {Template}: {sample.Pages} pages, {sample.Pdf.Length:N0} bytes ({sample.Pdf.Length / 1024.0:F1} KB)");
    }

    [GlobalCleanup]
    public void Cleanup() => _fonts.Dispose();

    [Benchmark]
    public int RenderConsent() => _renderer.Render(_template, NextPatient()).Pdf.Length;

    private ConsentRequest NextPatient()
    {
        var n = ++_next;
        return _sample with
        {
            PatientName = Patients[n % Patients.Length],
            PatientMrn = $"MRN{n * 7919 % 1_000_000:D6}",
            DocumentNumber = $"KC-2026-{n:D6}",
        };
    }

    private static string TemplatesFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "templates", "consent"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "templates", "consent");
    }

    private sealed class OneCore : ManualConfig
    {
        public OneCore()
        {
            // A long warm-up: in-process runs otherwise measure the first case while tiered JIT is still recompiling.
            AddJob(Job.Default.WithAffinity(1).WithWarmupCount(30).WithToolchain(InProcessEmitToolchain.Instance).WithId("one-core"));
            AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.P95);
        }
    }
}

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
