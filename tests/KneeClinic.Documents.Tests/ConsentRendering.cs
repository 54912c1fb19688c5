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
        // Risk names stand in the first column of the risk tables (96 pt margin + 1.35/5 of 420 pt).
        var riskColumn = pdf.TextLeftOf(205);
        foreach (var risk in spanish ? SpanishRisks : EnglishRisks)
            Assert.True(riskColumn.Contains(risk), $"{file}: risk '{risk}' missing");
        var harvestRisk = spanish ? "Dolor donde se toman las células" : "Pain where cells are taken";
        Assert.Equal(autologous, riskColumn.Contains(harvestRisk));
        foreach (var alternative in spanish ? SpanishAlternatives : EnglishAlternatives)
            Assert.True(pdf.Contains(alternative + ":"), $"{file}: alternative '{alternative}' missing");
        var resolved = template.Resolve(ConsentPdfValues.For(Templates.Request(file), template));
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
        var labels = Templates.Load(file).Labels;
        var rendered = templates.Render(file);
        var pdf = new PdfText(rendered.Pdf);

        Assert.Contains("Zoë", pdf.Pages[0]);
        Assert.Contains("Müller-Øvergård", pdf.Pages[0]);
        Assert.Contains("SAMPLE-00042", pdf.Pages[0]);
        for (var page = 1; page <= rendered.Pages; page++)
        {
            var words = PdfText.Normalize(string.Join(' ', pdf.Pages[page - 1]));
            Assert.Contains(string.Format(labels.PageFormat, page, rendered.Pages), words);
            Assert.Contains("KC-SAMPLE-0001", words);
            Assert.Contains($"{Templates.Load(file).Header.Code} v2", words);
            Assert.Contains($"{labels["document_check"]}: {rendered.ContentHash[..16]}", words);
        }
        foreach (var key in new[] { "patient_role", "representative_role", "obtainer_role", "witness_role", "interpreter_role",
                     "printed_name", "signature", "date", "time", "relationship", "authority", "teach_back_initials" })
            Assert.True(pdf.Contains(labels[key]), $"{file}: '{labels[key]}' missing");
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
        var later = templates.Render("adipose.es.md", Templates.Request("adipose.es.md") with { GeneratedAt = Templates.At.AddMinutes(1) });

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
        MedicineNote[] notes =
        [
            new("Warfarin", MedicineKind.Anticoagulant, new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 9)),
            new("Ibuprofen", MedicineKind.Nsaid, new DateOnly(2026, 12, 5), null),
            new("Naproxen", MedicineKind.Nsaid, null, null),
        ];
        var request = ConsentRequest.Sample(Templates.At) with { PatientNotes = notes };

        var english = new PdfText(templates.Render("bone-marrow.en.md", request).Pdf);
        var spanish = new PdfText(templates.Render("bone-marrow.es.md", request).Pdf);

        Assert.True(english.Contains("Notes for you from your screening"));
        Assert.True(english.Contains("Warfarin (a blood thinner): stop taking it on December 3, 2026 and start again on December 9, 2026."));
        Assert.True(english.Contains("Ibuprofen (an anti-inflammatory (NSAID)): stop taking it on December 5, 2026."));
        Assert.True(english.Contains("Naproxen (an anti-inflammatory (NSAID)): ask your clinician whether to stop it"));
        // The same notes in the Spanish form's own words, from its template: nothing printed in English.
        var es = Templates.Load("bone-marrow.es.md").Labels;
        Assert.True(spanish.Contains(es["notes_heading"]));
        Assert.True(spanish.Contains(es.Fill("note_stop_and_restart", ("medicine", "Warfarin"), ("kind", es["note_anticoagulant"]),
            ("from", "3 de diciembre de 2026"), ("to", "9 de diciembre de 2026"))));
        Assert.False(spanish.Contains("blood thinner") || spanish.Contains("stop taking"));
    }
}

/// <summary>
/// Skia writes the trailer's /ID from the clock, as a hex string or, when shorter, as a literal string; either way the
/// stored document must come out the same for the same input (it once did not, about one render in fifty).
/// </summary>
public sealed class DeterministicDocumentId(Templates templates) : IClassFixture<Templates>
{
    [Fact]
    public void TheIdIsHashedFromTheDocumentWhicheverWaySkiaWroteIt()
    {
        var rendered = templates.Render("bone-marrow.en.md").Pdf;
        var text = System.Text.Encoding.Latin1.GetString(rendered);
        var uuid = System.Text.RegularExpressions.Regex.Match(text, "<xmpMM:DocumentID>uuid:([0-9a-f-]{36})").Groups[1].Value;
        var hex = uuid.Replace("-", "").ToUpperInvariant();

        // As Skia would have written two other runs: another UUID in hex, and another as a literal string with escapes.
        string Variant(string newUuid, string trailerId) => text.Replace(uuid, newUuid).Replace($"/ID [<{hex}> <{hex}>]", $"/ID [{trailerId} {trailerId}]");
        var asHex = Variant("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "<0F1E2D3C4B5A69788796A5B4C3D2E1F0>");
        var asLiteral = Variant("6e494a0f-566e-343f-b462-b92ed12c7e25", @"(nIJ\017Vn4?\264b\271.\321,~%)");
        Assert.NotEqual(asHex, asLiteral);

        var first = Layout.DocumentId.MakeDeterministic(System.Text.Encoding.Latin1.GetBytes(asHex));
        var second = Layout.DocumentId.MakeDeterministic(System.Text.Encoding.Latin1.GetBytes(asLiteral));

        Assert.Equal(first, second);
        Assert.Equal(rendered, first);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(second);
        Assert.True(pdf.NumberOfPages > 1);
    }
}
