using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// <c>render-consent --template FILE --out PDF [--study] [--large-print] [--fonts DIR]</c>: renders one template file with
/// sample patient data (and a sample study with <c>--study</c>), so a template author can see the PDF without a
/// database or a running clinic.
/// </summary>
public static class RenderConsentCommand
{
    public const string Name = "render-consent";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var templatePath = Option(args, "--template");
        var outPath = Option(args, "--out");
        if (templatePath is null || outPath is null)
        {
            error.WriteLine($"Usage: {Name} --template <file.md> --out <file.pdf> [--study] [--large-print] [--fonts <directory>]");
            return 2;
        }
        try
        {
            var baseDirectory = BaseDirectory(templatePath);
            templatePath = Path.Combine(baseDirectory, templatePath);
            outPath = Path.GetFullPath(Path.Combine(baseDirectory, outPath));
            var template = ConsentTemplateText.Parse(File.ReadAllText(templatePath));
            using var fonts = FontSet.Load(Option(args, "--fonts"));
            var missing = fonts.MissingGlyphs(template.Source);
            if (missing.Count > 0)
                error.WriteLine($"Warning: the fonts have no glyph for: {string.Join(" ", missing)}");
            var request = ConsentRequest.Sample(DateTimeOffset.UtcNow, template.Header.Language) with
            {
                Study = args.Contains("--study") ? StudyDetails.Sample : null,
                LargePrint = args.Contains("--large-print"),
            };
            var rendered = new ConsentRenderer(fonts).Render(template, request);
            File.WriteAllBytes(outPath, rendered.Pdf);
            var level = ReadingLevel.Of(template.Resolve(ConsentPdfValues.For(request, template), request.Basis), template.Header.Language);
            output.WriteLine($"{outPath}: {rendered.Pages} pages, {rendered.Pdf.Length:N0} bytes, " +
                $"{template.Header.Code} v{template.Header.Version} ({template.Header.Language}), {level.Summary}");
            return 0;
        }
        catch (Exception e) when (e is TemplateFormatException or MissingPlaceholderException or FontsMissingException
            or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"{templatePath}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// `dotnet run` starts the app in the project folder, not where the author typed the command; relative
    /// paths are taken from the nearest folder above that has the template (the repository root, usually).
    /// </summary>
    private static string BaseDirectory(string templatePath)
    {
        if (Path.IsPathRooted(templatePath)) return "";
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, templatePath))) return dir.FullName;
        return Environment.CurrentDirectory;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
