using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;
using Xunit.Abstractions;

namespace KneeClinic.Documents.Tests;

/// <summary>Every template in both languages renders to a PDF that really says what a consent must say.</summary>
public sealed class ConsentRendering(Templates templates, ITestOutputHelper output) : IClassFixture<Templates>
{
    private static readonly string[] EnglishRisks =
    [
        "Infection", "Pain and swelling", "Bleeding and bruising", "Temporary flare-up", "Immune reaction", "Tumor formation",
        "Cells becoming the wrong tissue", "Needle discomfort", "Unknown long-term risks",
    ];

    private static readonly string[] SpanishRisks =
    [
        "Infección", "Dolor e hinchazón", "Sangrado y moretones", "Empeoramiento pasajero", "Reacción inmunitaria",
        "Formación de tumores", "Células que forman el tejido equivocado", "Molestia por la aguja", "Riesgos desconocidos a largo plazo",
    ];

    private static readonly string[] EnglishAlternatives =
    [
        "No treatment", "Physical therapy", "Pain medicines such as NSAIDs", "Corticosteroid injections", "Hyaluronic acid injections",
        "Platelet-rich plasma (PRP)", "Prolotherapy", "Arthroscopy", "Knee replacement",
    ];

    private static readonly string[] SpanishAlternatives =
    [
        "Ningún tratamiento", "Fisioterapia", "Medicamentos para el dolor como los AINE", "Inyecciones de corticoides",
        "Inyecciones de ácido hialurónico", "Plasma rico en plaquetas (PRP)", "Proloterapia", "Artroscopia", "Reemplazo de rodilla",
    ];

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void SaysItIsInvestigationalAndListsEveryRiskAlternativeAndSection(string file)
    {
        var template = Templates.Load(file);
        var spanish = template.Header.Language == "es";
        var rendered = templates.Render(file);
        var pdf = new PdfText(rendered.Pdf);
        output.WriteLine($"{file}: {rendered.Pages} pages, {rendered.Pdf.Length:N0} bytes");

        Assert.True(pdf.Contains(spanish ? "en investigación" : "investigational"));
        var autologous = template.Header.CellSource != "UmbilicalCord";
        // Risk names stand in the first column of the risk tables (54 pt margin + 1.1/5.1 of 504 pt).
        var riskColumn = pdf.TextLeftOf(160);
        foreach (var risk in spanish ? SpanishRisks : EnglishRisks)
            Assert.True(riskColumn.Contains(risk), $"{file}: risk '{risk}' missing");
        var harvestRisk = spanish ? "Dolor donde se toman las células" : "Pain where cells are taken";
        Assert.Equal(autologous, riskColumn.Contains(harvestRisk));
        foreach (var alternative in spanish ? SpanishAlternatives : EnglishAlternatives)
            Assert.True(pdf.Contains(alternative + ":"), $"{file}: alternative '{alternative}' missing");
        var resolved = template.Resolve(SampleValues(spanish));
        foreach (var heading in resolved.Blocks.OfType<ResolvedHeading>())
        {
            var text = string.Concat(heading.Runs.Select(r => r.Text));
            Assert.True(pdf.Contains(text), $"{file}: heading '{text}' missing");
        }
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void ShowsThePatientTheDocumentNumberPagesAndSignatureLines(string file)
    {
        var spanish = file.EndsWith(".es.md");
        var labels = ConsentLabels.For(spanish ? "es" : "en");
        var rendered = templates.Render(file);
        var pdf = new PdfText(rendered.Pdf);

        Assert.Contains("Zoë", pdf.Pages[0]);
        Assert.Contains("Müller-Øvergård", pdf.Pages[0]);
        Assert.Contains("SAMPLE-00042", pdf.Pages[0]);
        for (var page = 1; page <= rendered.Pages; page++)
        {
            var words = PdfText.Normalize(string.Join(' ', pdf.Pages[page - 1]));
            Assert.Contains(string.Format(labels.PageLabel, page, rendered.Pages), words);
            Assert.Contains("KC-SAMPLE-0001", words);
            Assert.Contains($"{Templates.Load(file).Header.Code} v1", words);
            Assert.Contains(rendered.ContentHash[..16], words);
        }
        foreach (var label in new[] { labels.PatientRole, labels.ObtainerRole, labels.WitnessRole, labels.InterpreterRole,
                     labels.PrintedName, labels.Signature, labels.Date, labels.Time, labels.Initials })
            Assert.True(pdf.Contains(label), $"{file}: '{label}' missing");
        Assert.True(pdf.Contains(spanish ? "rodilla izquierda" : "left knee"));
    }

    [Fact]
    public void NamesWithMarkupQuotesAmpersandsAndTwoHundredCharactersAppearLiterallyAndWrap()
    {
        var name = "<script>alert(\"x\")</script> O'Brien & Sons **bold** {{ patient.mrn }} "
            + string.Join(' ', Enumerable.Repeat("Wolfeschlegelsteinhausen", 4)) + " ";
        name += new string('a', 200 - name.Length);
        Assert.Equal(200, name.Length);
        var request = ConsentRequest.Sample(Templates.At) with { PatientName = name };

        var pdf = new PdfText(templates.Render("bone-marrow.en.md", request).Pdf);

        foreach (var word in name.Split(' '))
            Assert.Contains(word, pdf.All);
        Assert.True(pdf.Contains("<script>alert(\"x\")</script> O'Brien & Sons **bold** {{ patient.mrn }}"));
    }

    [Fact]
    public void TheSameInputsAndTimeGiveIdenticalBytesAndMetadata()
    {
        var first = templates.Render("adipose.es.md");
        var second = templates.Render("adipose.es.md");
        var later = templates.Render("adipose.es.md", ConsentRequest.Sample(Templates.At.AddMinutes(1)));

        Assert.Equal(first.Pdf, second.Pdf);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.NotEqual(first.Pdf, later.Pdf);
        var pdf = new PdfText(first.Pdf);
        Assert.Equal(first.Title, pdf.Title);
        Assert.Equal("Example Knee Clinic", pdf.Author);
        Assert.Equal("KC-SAMPLE-0001", pdf.Subject);
        Assert.StartsWith("D:20261125143000", pdf.CreationDate);
        Assert.Contains("pdfaid:part", System.Text.Encoding.ASCII.GetString(first.Pdf));
    }

    [Fact]
    public void FontsAreSubsetSoTheDocumentStaysSmall()
    {
        var rendered = templates.Render("umbilical-cord.en.md");
        var text = System.Text.Encoding.Latin1.GetString(rendered.Pdf);

        // Subset fonts are named with a six-letter tag; the full DejaVu Sans alone is about 750 KB.
        Assert.Matches(@"/BaseFont /[A-Z]{6}\+DejaVuSans", text);
        Assert.True(rendered.Pdf.Length <= 60 * 1024, $"{rendered.Pdf.Length} bytes: the target is 60 KB or less");
        output.WriteLine($"{rendered.Pdf.Length:N0} bytes for {rendered.Pages} pages");
    }

    [Fact]
    public void OneRendererServesPatientAfterPatientWithoutMixingThemUp()
    {
        // As in the app: one renderer, whose caches of laid-out lines and font subsets outlive a document.
        var renderer = new ConsentRenderer(templates.Fonts);
        var template = Templates.Load("bone-marrow.en.md");
        var first = ConsentRequest.Sample(Templates.At) with { PatientName = "Zoë Müller-Øvergård", PatientMrn = "MRN-111111", DocumentNumber = "KC-2026-AAAA" };
        var second = first with { PatientName = "Ngô Bảo Châu", PatientMrn = "MRN-222222", DocumentNumber = "KC-2026-BBBB" };

        renderer.Render(template, first);
        var again = new PdfText(renderer.Render(template, second).Pdf);
        var fresh = new PdfText(new ConsentRenderer(templates.Fonts).Render(template, second).Pdf);

        Assert.True(again.Contains("Ngô Bảo Châu"));
        Assert.True(again.Contains("MRN-222222"));
        Assert.True(again.Contains("KC-2026-BBBB"));
        Assert.False(again.Contains("Zoë") || again.Contains("MRN-111111") || again.Contains("KC-2026-AAAA"));
        Assert.Equal(fresh.All, again.All);
    }

    [Fact]
    public void WhatTheRendererKeepsBetweenDocumentsChangesNotOneByte()
    {
        // Lines, widths, subsets and the glyphs of drawn text are kept from document to document. Patients whose
        // names need different letters get different font subsets, with different glyph numbers for the same text.
        var template = Templates.Load("adipose.es.md");
        var warm = new ConsentRenderer(templates.Fonts);
        var patient = ConsentRequest.Sample(Templates.At, "es");
        string[] names = ["Zoë Müller-Øvergård", "Ngô Bảo Châu", "Pat Smith", "Łukasz Żółć", "Zoë Müller-Øvergård"];
        foreach (var name in names) warm.Render(template, patient with { PatientName = name, DocumentNumber = "KC-2026-WARM" });

        foreach (var name in names)
        {
            var request = patient with { PatientName = name, DocumentNumber = $"KC-2026-{name.Length:D4}" };
            using var coldFonts = FontSet.Load();
            var cold = new ConsentRenderer(coldFonts).Render(template, request);
            Assert.Equal(cold.Pdf, warm.Render(template, request).Pdf);
        }
    }

    [Fact]
    public void ScreeningNotesArePrintedForThePatient()
    {
        var request = ConsentRequest.Sample(Templates.At) with { PatientNotes = ["Warfarin (a blood thinner): pause from 3 December."] };

        var pdf = new PdfText(templates.Render("bone-marrow.en.md", request).Pdf);

        Assert.True(pdf.Contains("Notes for you from your screening"));
        Assert.True(pdf.Contains("Warfarin (a blood thinner): pause from 3 December."));
    }

    private static Dictionary<string, string> SampleValues(bool spanish) => new()
    {
        ["patient.name"] = "Zoë Müller-Øvergård",
        ["patient.date_of_birth"] = spanish ? "14 de marzo de 1961" : "March 14, 1961",
        ["patient.mrn"] = "SAMPLE-00042",
        ["case.knee"] = spanish ? "izquierda" : "left",
        ["clinician.name"] = "Dr Sam Example",
        ["clinic.name"] = "Example Knee Clinic",
        ["clinic.phone"] = "(555) 010-0199",
        ["clinic.address"] = "100 Sample Street, Springfield",
        ["cost.estimate"] = "$4,800 to $6,500",
    };
}
