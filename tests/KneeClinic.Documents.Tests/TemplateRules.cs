using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;

namespace KneeClinic.Documents.Tests;

public sealed class TemplateRules(Templates templates) : IClassFixture<Templates>
{
    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void EveryCharacterOfEveryTemplateAndItsLabelsHasAGlyph(string file)
    {
        var text = File.ReadAllText(Path.Combine(Templates.Folder, file));
        foreach (var face in Enum.GetValues<FontFace>())
            Assert.Empty(templates.Fonts.MissingGlyphs(text, face));
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void EveryTemplateHasAHeaderEveryLabelAndOnlyKnownPlaceholders(string file)
    {
        var template = Templates.Load(file);

        Assert.StartsWith("consent-", template.Header.Code);
        Assert.Equal(2, template.Header.Version);
        Assert.True(template.Header.RequiresReconsent, "version 2 adds required elements: consents on version 1 must be renewed");
        Assert.Contains(template.Header.Language, new[] { "en", "es" });
        Assert.Contains(template.Header.CellSource, new[] { "BoneMarrow", "Adipose", "UmbilicalCord" });
        Assert.InRange(template.Header.ShortTitle.Length, 5, 45);
        Assert.All(ConsentLabels.Required, key => Assert.False(string.IsNullOrWhiteSpace(template.Labels[key])));
        Assert.Empty(template.UsedPlaceholders.Except(ConsentTemplateText.Placeholders));
        // Every study detail is printed under a study; none of them without one.
        // (The IRB's approval and end dates are printed in the patient block, not by placeholders.)
        Assert.Equal(ConsentTemplateText.StudyPlaceholders.Except(["study.irb_approved", "study.irb_expires"]).Order(),
            template.PlaceholdersFor(RegulatoryBasis.RegisteredStudy).Intersect(ConsentTemplateText.StudyPlaceholders).Order());
        Assert.Empty(template.PlaceholdersFor(RegulatoryBasis.NoStudy).Intersect(ConsentTemplateText.StudyPlaceholders));
    }

    [Fact]
    public void TheEnglishAndSpanishFileOfATemplateUseTheSamePlaceholdersAndSections()
    {
        foreach (var english in Templates.Files().Select(f => (string)f[0]).Where(f => f.EndsWith(".en.md")))
        {
            var en = Templates.Load(english);
            var es = Templates.Load(english.Replace(".en.md", ".es.md"));
            Assert.Equal(en.UsedPlaceholders, es.UsedPlaceholders);
            Assert.Equal(en.Blocks.Select(b => b.GetType().Name), es.Blocks.Select(b => b.GetType().Name));
            Assert.Equal(en.Header.Version, es.Header.Version);
        }
    }

    [Theory]
    [MemberData(nameof(Templates.ShortForms), MemberType = typeof(Templates))]
    public void EveryShortFormHasItsLabelsNoCellSourceAndEveryCharacterPrints(string file)
    {
        var template = Templates.Load(file);
        Assert.True(template.Header.IsShortForm);
        Assert.Equal("", template.Header.CellSource);
        Assert.InRange(template.Header.ShortTitle.Length, 5, 45);
        Assert.All(ConsentLabels.RequiredForShortForm, key => Assert.False(string.IsNullOrWhiteSpace(template.Labels[key])));
        Assert.Empty(template.PlaceholdersFor(RegulatoryBasis.NoStudy).Intersect(ConsentTemplateText.StudyPlaceholders));
        var text = File.ReadAllText(Path.Combine(Templates.Folder, file));
        foreach (var face in Enum.GetValues<FontFace>())
            Assert.Empty(templates.Fonts.MissingGlyphs(text, face));
    }

    [Theory]
    [InlineData("bone-marrow")]
    [InlineData("adipose")]
    [InlineData("umbilical-cord")]
    public void AShortFormMustSayWhereTheCellsComeFromForEveryCellSource(string condition)
    {
        var source = File.ReadAllText(Path.Combine(Templates.Folder, "short-form.fr.md"));
        var start = source.IndexOf($"::: {condition}\n", StringComparison.Ordinal);
        var end = source.IndexOf("\n:::\n", start, StringComparison.Ordinal) + 5;
        var error = Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(source.Remove(start, end - start)));
        Assert.Contains($"'::: {condition}'", error.Message);
    }

    [Fact]
    public void AShortFormNamesNoCellSourceAndAConsentFormNeedsOne()
    {
        var shortForm = MinimalTemplate.With("Hi.").Replace("cell_source: BoneMarrow\n", "cell_source: BoneMarrow\nkind: short-form\n");
        Assert.Contains("short form", Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(shortForm)).Message);
        var noSource = MinimalTemplate.With("Hi.").Replace("cell_source: BoneMarrow\n", "");
        Assert.Contains("cell_source", Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(noSource)).Message);
    }

    [Fact]
    public void AMissingValueIsAnErrorNotAGap()
    {
        var template = ConsentTemplateText.Parse(MinimalTemplate.With("Hello {{ patient.name }}, call {{ clinic.phone }}."));
        var values = new Dictionary<string, string> { ["patient.name"] = "Ana" };

        var error = Assert.Throws<MissingPlaceholderException>(() => template.Resolve(values));
        Assert.Equal("clinic.phone", error.Placeholder);
    }

    [Fact]
    public void StudyDetailsAreNeededOnlyUnderAStudyAndTheRegistryNumberOnlyForARegisteredOne()
    {
        var template = ConsentTemplateText.Parse(MinimalTemplate.With("Hello."));
        var values = new Dictionary<string, string>();

        var noStudy = template.Resolve(values, RegulatoryBasis.NoStudy);
        Assert.Contains("No study.", noStudy.Units());
        Assert.DoesNotContain(noStudy.Units(), u => u.StartsWith("Study") || u.StartsWith("Registered"));
        Assert.Equal("study.ind_number", Assert.Throws<MissingPlaceholderException>(() => template.Resolve(values, RegulatoryBasis.Study)).Placeholder);

        values["study.ind_number"] = "IND 123456";
        var study = template.Resolve(values, RegulatoryBasis.Study);
        Assert.Contains("Study IND 123456.", study.Units());
        Assert.DoesNotContain("No study.", study.Units());
        Assert.DoesNotContain(study.Units(), u => u.StartsWith("Registered"));
        Assert.Equal("study.nct_number", Assert.Throws<MissingPlaceholderException>(() => template.Resolve(values, RegulatoryBasis.RegisteredStudy)).Placeholder);
    }

    [Theory]
    [InlineData("Hello {{ patient.nmae }}", "Unknown placeholder")]
    [InlineData("Hello {{ patient.name | upcase }}", "Only plain placeholders")]
    [InlineData("{% if x %}hi{% endif %}", "Only plain placeholders")]
    [InlineData("1. numbered", "not allowed")]
    [InlineData("Under {{ study.ind_number }} everywhere", "only inside '::: study'")]
    [InlineData(":::: study\n::: teach-back\n- nested?\n:::\n::::", "holds headings, paragraphs, lists and tables only")]
    public void TemplatesWithAnythingButThePlainFormatAreRefused(string body, string message)
    {
        var error = Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(MinimalTemplate.With(body)));
        Assert.Contains(message, error.Message);
    }

    public static TheoryData<string> DeeplyNested => new()
    {
        string.Concat(Enumerable.Repeat("> ", 5_000)) + "quoted",
        string.Concat(Enumerable.Repeat("- ", 5_000)) + "listed",
        new string('[', 20_000) + "linked" + new string(']', 20_000),
        string.Concat(Enumerable.Repeat("::: study\n", 2_000)) + "boxed" + string.Concat(Enumerable.Repeat("\n:::", 2_000)),
    };

    [Theory]
    [MemberData(nameof(DeeplyNested))]
    public void MarkdownNestedTooDeepIsRefusedWithAMessage(string body)
    {
        var error = Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(MinimalTemplate.With(body)));
        Assert.Contains("nested too deeply", error.Message);
    }

    [Fact]
    public void RawHtmlStaysLiteralText()
    {
        var html = ConsentTemplateText.Parse(MinimalTemplate.With("<b>bold</b>")).Resolve(new Dictionary<string, string>());
        Assert.Contains("<b>bold</b>", html.Units());
    }

    [Fact]
    public void EveryPrintedWordMustBeInTheFileTheLabelsIncluded()
    {
        var noLabel = MinimalTemplate.With("Hi.").Replace("  witness_statement: \"witness statement\"\n", "");
        Assert.Contains("missing: witness_statement", Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(noLabel)).Message);

        var unknown = MinimalTemplate.With("Hi.").Replace("labels:\n", "labels:\n  footnote: \"x\"\n");
        Assert.Contains("Unknown label 'footnote'", Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(unknown)).Message);

        var noShortTitle = MinimalTemplate.With("Hi.").Replace("short_title: T\n", "");
        Assert.Contains("short_title", Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(noShortTitle)).Message);
    }

    [Theory]
    [InlineData("study")]
    [InlineData("no-study")]
    [InlineData("clinicaltrials")]
    public void EveryBasisMustBeWordedInTheTemplate(string condition)
    {
        var source = MinimalTemplate.With("Hi.");
        var start = source.IndexOf($"::: {condition}\n", StringComparison.Ordinal);
        var end = source.IndexOf(":::\n", start + 4, StringComparison.Ordinal) + 4;
        var error = Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(source.Remove(start, end - start)));
        Assert.Contains($"'::: {condition}'", error.Message);
    }

    [Fact]
    public void TheInvestigationalBoxMustComeFirst()
    {
        var source = MinimalTemplate.Header() + "## Intro\n\n" + MinimalTemplate.Box + MinimalTemplate.Bases + MinimalTemplate.TeachBack;
        var error = Assert.Throws<TemplateFormatException>(() => ConsentTemplateText.Parse(source));
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
        var source = MinimalTemplate.Header("consent-long") + "::: investigational\n" + string.Join("\n\n", sentences) + "\n:::\n\n"
            + MinimalTemplate.Bases + MinimalTemplate.TeachBack;

        var rendered = new Consent.ConsentRenderer(templates.Fonts).Render(Consent.ConsentTemplateText.Parse(source), Consent.ConsentRequest.Sample(Templates.At));

        var pdf = new PdfText(rendered.Pdf);
        Assert.True(rendered.Pages >= 3);
        for (var i = 1; i <= 120; i++) Assert.Contains($"Sentence{i:D3}", pdf.All);
    }
}
