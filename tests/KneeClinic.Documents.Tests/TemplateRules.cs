using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;

namespace KneeClinic.Documents.Tests;

public sealed class TemplateRules(Templates templates) : IClassFixture<Templates>
{
    private const string Header = "---\ncode: t\nversion: 1\nlanguage: en\ncell_source: BoneMarrow\neffective_date: 2026-12-01\nrequires_reconsent: false\ntitle: T\n---\n";
    private const string Box = "::: investigational\nThis is investigational.\n:::\n\n";
    private const string TeachBack = "\n## Check\n\n::: teach-back\n- I know it is investigational.\n:::\n";

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void EveryCharacterOfEveryTemplateHasAGlyph(string file)
    {
        var text = File.ReadAllText(Path.Combine(Templates.Folder, file));
        foreach (var face in Enum.GetValues<FontFace>())
            Assert.Empty(templates.Fonts.MissingGlyphs(text, face));
        var labels = ConsentLabels.For(Templates.Load(file).Header.Language);
        Assert.Empty(templates.Fonts.MissingGlyphs(string.Join(' ', typeof(ConsentLabels).GetProperties().Select(p => p.GetValue(labels)))));
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void EveryTemplateHasAHeaderAndUsesOnlyKnownPlaceholders(string file)
    {
        var template = Templates.Load(file);

        Assert.StartsWith("consent-", template.Header.Code);
        Assert.Equal(1, template.Header.Version);
        Assert.Contains(template.Header.Language, new[] { "en", "es" });
        Assert.Contains(template.Header.CellSource, new[] { "BoneMarrow", "Adipose", "UmbilicalCord" });
        Assert.Equal(ConsentTemplateText.Placeholders.Order(), template.UsedPlaceholders);
    }

    [Fact]
    public void AMissingValueIsAnErrorNotAGap()
    {
        var template = ConsentTemplateText.Parse(Header + Box + "Hello {{ patient.name }}, call {{ clinic.phone }}.\n" + TeachBack);
        var values = new Dictionary<string, string> { ["patient.name"] = "Ana" };

        var error = Assert.Throws<MissingPlaceholderException>(() => template.Resolve(values));
        Assert.Equal("clinic.phone", error.Placeholder);
    }

    [Theory]
    [InlineData("Hello {{ patient.nmae }}", "Unknown placeholder")]
    [InlineData("Hello {{ patient.name | upcase }}", "Only plain placeholders")]
    [InlineData("{% if x %}hi{% endif %}", "Only plain placeholders")]
    [InlineData("<b>bold</b>", "")]
    [InlineData("1. numbered", "not allowed")]
    public void TemplatesWithAnythingButThePlainFormatAreRefused(string body, string message)
    {
        if (body.StartsWith('<'))
        {
            // Raw HTML is not markup here: it stays literal text.
            var html = ConsentTemplateText.Parse(Header + Box + body + "\n" + TeachBack).Resolve(new Dictionary<string, string>());
            Assert.Equal("<b>bold</b>", string.Concat(((ResolvedParagraph)html.Blocks[1]).Runs.Select(r => r.Text)));
            return;
        }
        var error = Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(Header + Box + body + "\n" + TeachBack));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void TheInvestigationalBoxMustComeFirst()
    {
        var error = Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(Header + "## Intro\n\n" + Box + TeachBack));
        Assert.Contains("investigational", error.Message);
    }

    [Fact]
    public void MissingFontsGiveAClearMessage()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        var error = Assert.Throws<FontsMissingException>(() => FontSet.Load(empty));
        Assert.Contains("fonts-dejavu-core", error.Message);

        foreach (var name in new[] { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf" })
            File.WriteAllText(Path.Combine(empty, name), "not a font");
        var notFont = Assert.Throws<InvalidDataException>(() => FontSet.Load(empty));
        Assert.Contains("is not a font", notFont.Message);
        Directory.Delete(empty, true);
    }
}

public sealed class LongContent(Templates templates) : IClassFixture<Templates>
{
    [Fact]
    public void ABoxLongerThanAPageContinuesOnTheNextPageWithNothingLost()
    {
        var sentences = Enumerable.Range(1, 120).Select(i => $"Sentence{i:D3} of a very long investigational statement.");
        var source = "---\ncode: consent-long\nversion: 1\nlanguage: en\ncell_source: BoneMarrow\neffective_date: 2026-12-01\nrequires_reconsent: false\ntitle: Long\n---\n"
            + "::: investigational\n" + string.Join("\n\n", sentences) + "\n:::\n\n## Check\n\n::: teach-back\n- I understand.\n:::\n";

        var rendered = new Consent.ConsentRenderer(templates.Fonts).Render(Consent.ConsentTemplateText.Parse(source), Consent.ConsentRequest.Sample(Templates.At));

        var pdf = new PdfText(rendered.Pdf);
        Assert.True(rendered.Pages >= 3);
        for (var i = 1; i <= 120; i++) Assert.Contains($"Sentence{i:D3}", pdf.All);
    }
}
