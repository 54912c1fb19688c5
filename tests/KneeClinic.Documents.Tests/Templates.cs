using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;

namespace KneeClinic.Documents.Tests;

/// <summary>The template files in the repository and shared rendering helpers.</summary>
public sealed class Templates : IDisposable
{
    public static readonly DateTimeOffset At = new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

    public static string Folder { get; } = FindFolder();

    public static IEnumerable<object[]> Files() =>
        Directory.GetFiles(Folder, "*.md").Order().Select(f => new object[] { Path.GetFileName(f) });

    public FontSet Fonts { get; } = FontSet.Load();

    public static ConsentTemplateText Load(string file) => ConsentTemplateText.Parse(File.ReadAllText(Path.Combine(Folder, file)));

    public RenderedConsent Render(string file, ConsentRequest? request = null) =>
        new ConsentRenderer(Fonts).Render(Load(file), request ?? ConsentRequest.Sample(At, Load(file).Header.Language));

    public void Dispose() => Fonts.Dispose();

    private static string FindFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "templates", "consent"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("templates/consent"), "templates", "consent");
    }
}
