using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;

namespace KneeClinic.Documents.Tests;

/// <summary>The template files in the repository and shared rendering helpers.</summary>
public sealed class Templates : IDisposable
{
    public static readonly DateTimeOffset At = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    public static string Folder { get; } = FindFolder();

    /// <summary>The consent forms: one per cell source and language.</summary>
    public static IEnumerable<object[]> Files() =>
        Directory.GetFiles(Folder, "*.md").Order().Where(f => !Path.GetFileName(f).StartsWith("short-form.")).Select(f => new object[] { Path.GetFileName(f) });

    /// <summary>The short forms (21 CFR 50.27(b)(2)), one per language.</summary>
    public static IEnumerable<object[]> ShortForms() =>
        Directory.GetFiles(Folder, "short-form.*.md").Order().Select(f => new object[] { Path.GetFileName(f) });

    /// <summary>Every template under each regulatory basis: not under a study, and under a registered study.</summary>
    public static IEnumerable<object[]> FilesAndBases() =>
        Files().SelectMany(f => new[] { new[] { f[0], false }, new[] { f[0], true } });

    public FontSet Fonts { get; } = FontSet.Load();

    public static ConsentTemplateText Load(string file) => ConsentTemplateText.Parse(File.ReadAllText(Path.Combine(Folder, file)));

    public static ConsentRequest Request(string file, bool study = false) =>
        ConsentRequest.Sample(At, Load(file).Header.Language) with { Study = study ? StudyDetails.Sample : null };

    public RenderedConsent Render(string file, ConsentRequest? request = null) =>
        new ConsentRenderer(Fonts).Render(Load(file), request ?? Request(file));

    public void Dispose() => Fonts.Dispose();

    private static string FindFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "templates", "consent"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("templates/consent"), "templates", "consent");
    }
}

/// <summary>A small valid template for rule tests: every label, every basis section, a box and a teach-back list.</summary>
public static class MinimalTemplate
{
    public static string Labels() => "labels:\n" + string.Concat(ConsentLabels.Required.Select(k => k switch
    {
        "page" => "  page: \"Page {page} of {pages}\"\n",
        "date_format" => "  date_format: \"MMMM d, yyyy\"\n",
        _ => $"  {k}: \"{k.Replace('_', ' ')}\"\n",
    }));

    public static string Header(string code = "consent-t", string extra = "") =>
        $"---\ncode: {code}\nversion: 1\nlanguage: en\ncell_source: BoneMarrow\neffective_date: 2026-12-01\nrequires_reconsent: false\ntitle: T\nshort_title: T\n{extra}{Labels()}---\n";

    public const string Box = "::: investigational\nThis is investigational.\n:::\n\n";

    public const string Bases = "::: study\nStudy {{ study.ind_number }}.\n:::\n\n::: no-study\nNo study.\n:::\n\n::: clinicaltrials\nRegistered as {{ study.nct_number }}.\n:::\n\n";

    public const string TeachBack = "\n## Check\n\n::: teach-back\n- In your own words, what is this?\n:::\n";

    public static string With(string body) => Header() + Box + Bases + body + "\n" + TeachBack;
}
