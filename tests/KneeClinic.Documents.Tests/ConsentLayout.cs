using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Layout;
using Xunit.Abstractions;

namespace KneeClinic.Documents.Tests;

/// <summary>Type and page layout for older readers, measured on the PDF that comes out.</summary>
public sealed class ConsentLayout(Templates templates, ITestOutputHelper output) : IClassFixture<Templates>
{
    [Theory]
    [MemberData(nameof(Templates.FilesAndBases), MemberType = typeof(Templates))]
    public void BodyTextIs12PointNothingIsUnder10AndNothingIsGrey(string file, bool study)
    {
        var template = Templates.Load(file);
        var request = Templates.Request(file, study);
        var pdf = new PdfText(templates.Render(file, request).Pdf);

        Assert.All(pdf.Words, w => Assert.True(w.MinSize >= 9.99, $"{file}: '{w.Text}' on page {w.Page} is {w.MinSize:0.#} pt"));
        Assert.DoesNotContain(pdf.Words, w => w.Grey);
        // Every paragraph and list item of the template reads, word for word, among the words set at 12 pt or more.
        var large = pdf.TextAtLeast(12);
        foreach (var prose in template.Resolve(ConsentPdfValues.For(request, template), request.Basis).Prose()
                     .Where(p => !template.Blocks.OfType<TeachBackBlock>().SelectMany(t => t.Items).Any(i => p.StartsWith(string.Concat(i.Select(r => r.Source))[..10], StringComparison.Ordinal))))
            Assert.True(large.Contains(PdfText.Normalize(prose), StringComparison.Ordinal), $"{file}: not all at 12 pt or more: \"{prose}\"");
        // Tables at 11 pt or more.
        var tableCell = template.Blocks.OfType<TableBlock>().First().Rows[0][1];
        var cellText = string.Concat(tableCell.Select(r => r.Source));
        Assert.Contains(PdfText.Normalize(cellText), pdf.TextAtLeast(11), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bone-marrow.en.md")]
    [InlineData("adipose.es.md")]
    public void LargePrintSetsTheBodyAt14Point(string file)
    {
        var template = Templates.Load(file);
        var request = Templates.Request(file) with { LargePrint = true };
        var rendered = templates.Render(file, request);
        var pdf = new PdfText(rendered.Pdf);

        var large = pdf.TextAtLeast(14);
        foreach (var prose in template.Resolve(ConsentPdfValues.For(request, template)).Prose().Take(12))
            Assert.Contains(PdfText.Normalize(prose), large, StringComparison.Ordinal);
        Assert.True(rendered.Pages > templates.Render(file).Pages);
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void BodyLinesHoldAtMost75Characters(string file)
    {
        var pdf = new PdfText(templates.Render(file, Templates.Request(file, study: true)).Pdf);

        var lines = pdf.Lines().Where(l => l.Words.All(w => w.MinSize >= 11.99 && w.MaxSize < 12.01))
            .Select(l => string.Join(' ', l.Words.Select(w => w.Text))).ToList();
        var longest = lines.MaxBy(l => l.Length)!;
        output.WriteLine($"{file}: {lines.Count} body lines, longest {longest.Length} characters: {longest}");
        Assert.InRange(longest.Length, 50, 75);
    }

    [Theory]
    [InlineData("bone-marrow.en.md", false)]
    [InlineData("umbilical-cord.es.md", true)]
    public void EverySignatureAndEveryInitialHasHalfAnInchToWriteIn(string file, bool largePrint)
    {
        var labels = Templates.Load(file).Labels;
        var pdf = new PdfText(templates.Render(file, Templates.Request(file) with { LargePrint = largePrint }).Pdf);

        // Each line label stands under its line; the text nearest above it, in the same column, is at least 36 pt higher.
        var lineLabels = new[] { "printed_name", "signature", "date", "time", "relationship", "language" }
            .Select(k => labels[k].Split(' ')[0]).ToHashSet();
        var checkedLabels = 0;
        foreach (var label in pdf.Words.Where(w => lineLabels.Contains(w.Text) && w.MaxSize < 12.5 && w.Page > 1))
        {
            var above = pdf.Words.Where(w => w.Page == label.Page && w.Bottom > label.Top && w.Left < label.Left + 60 && w.Right > label.Left - 5)
                .OrderBy(w => w.Bottom).FirstOrDefault();
            if (above is null) continue;
            Assert.True(above.Bottom - label.Top >= 36, $"{file}: only {above.Bottom - label.Top:0.#} pt to write above '{label.Text}' on page {label.Page}");
            checkedLabels++;
        }
        Assert.True(checkedLabels >= 20, $"only {checkedLabels} signature lines found");
        // The teach-back rows: each question's row is at least half an inch tall.
        Assert.True(SignatureBlock.WritingSpace >= 36);
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void NoPageHoldsOnlyASignatureBlockOrTheCodeAndNoHeadingEndsAPage(string file)
    {
        var template = Templates.Load(file);
        var labels = template.Labels;
        string[] roles = ["patient_role", "representative_role", "obtainer_role", "witness_role", "interpreter_role"];
        var signatureWords = roles.Concat(["patient_statement", "representative_statement", "obtainer_statement", "witness_statement",
                "interpreter_statement", "printed_name", "signature", "date", "time", "relationship", "authority", "language", "verify_caption", "document_check"])
            .SelectMany(k => labels[k].Split(' ')).ToHashSet();
        var checkedPages = 0;
        // Different numbers of screening notes and both type sizes move every page break.
        foreach (var (notes, large, study) in from n in Enumerable.Range(0, 7) from l in new[] { false, true } from s in new[] { false, true } select (n, l, s))
        {
            var request = Templates.Request(file, study) with
            {
                LargePrint = large,
                PatientNotes = Enumerable.Range(0, notes).Select(i => new MedicineNote($"Medicine{i}", MedicineKind.Nsaid, new DateOnly(2026, 12, 1), null)).ToList(),
            };
            var rendered = templates.Render(file, request);
            var pdf = new PdfText(rendered.Pdf);
            var headings = template.Resolve(ConsentPdfValues.For(request, template), request.Basis).Blocks
                .SelectMany(b => b is ResolvedConditional c ? c.Content : [b]).OfType<ResolvedHeading>()
                .Select(h => string.Concat(h.Runs.Select(r => r.Text))).Append(labels["signatures_heading"]).ToHashSet();
            for (var page = 1; page <= rendered.Pages; page++)
            {
                var body = pdf.Lines().Where(l => l.Page == page && l.Words.Any(w => w.MinSize >= 10.5 || !IsFrame(w))).ToList();
                var words = body.SelectMany(l => l.Words).Where(w => !IsFrame(w)).Select(w => w.Text).ToList();
                if (words.All(w => signatureWords.Contains(w) || w == request.DocumentNumber || w.Length == 16 || w == "·" || w.EndsWith(':')))
                {
                    var blocks = roles.Count(r => PdfText.Normalize(string.Join(' ', words)).Contains(labels[r] + " " + labels[r.Replace("role", "statement")].Split(' ')[0], StringComparison.Ordinal));
                    Assert.True(blocks >= 2, $"{file} ({notes} notes, large {large}, study {study}): page {page} holds only {blocks} signature block(s): {string.Join(" ", words)}");
                }
                var last = string.Join(" ", body.OrderBy(l => l.Bottom).First().Words.Select(w => w.Text));
                Assert.False(headings.Contains(last), $"{file} ({notes} notes, large {large}, study {study}): page {page} ends with the heading '{last}'");
                checkedPages++;
            }
        }
        output.WriteLine($"{file}: {checkedPages} pages checked");

        static bool IsFrame(PdfWord w) => w.Top > 792 - 54 - 26 || w.Bottom < 54 + 40;
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void ThePdfStatesItsLanguageAndTheFooterLabelsTheCheckForStaff(string file)
    {
        var template = Templates.Load(file);
        var pdf = new PdfText(templates.Render(file).Pdf);

        Assert.Equal(template.Header.Language == "es" ? "es-US" : "en-US", pdf.Language);
        Assert.Contains($"{template.Labels["document_check"]}:", PdfText.Normalize(string.Join(' ', pdf.Pages[^1])));
    }

    [Fact]
    public void ARunningHeaderTooLongIsShortenedAtAWordBoundary()
    {
        using var fonts = new DocumentFonts(Enum.GetValues<Fonts.FontFace>().ToDictionary(f => f, f => templates.Fonts.Full(f)), templates.Fonts);
        var style = Typography.Standard.Footer;
        const string title = "Consent for an investigational injection of your own bone-marrow cells into your left knee";

        var fitted = PdfRenderer.Fit(title, fonts, style, 200);

        Assert.EndsWith("…", fitted);
        Assert.True(fonts.Width(fitted, style) <= 200);
        var kept = fitted.TrimEnd('…');
        Assert.StartsWith(kept, title);
        Assert.Equal(' ', title[kept.Length]);
        Assert.Equal(title, PdfRenderer.Fit(title, fonts, style, 2000));
    }
}

/// <summary>Page breaks inside a table: the header never stands alone, and no page shows a single row of a longer table.</summary>
public sealed class TablePagination(Templates templates) : IClassFixture<Templates>
{
    [Fact]
    public void NoPageHoldsASingleRowOfATableOfSeveral()
    {
        using var fonts = new DocumentFonts(Enum.GetValues<Fonts.FontFace>().ToDictionary(f => f, f => templates.Fonts.Full(f)), templates.Fonts);
        var type = Typography.Standard;
        var totalBreaks = 0;
        foreach (var rowCount in new[] { 2, 3, 4, 7 })
        {
            var rows = Enumerable.Range(0, rowCount).Select(i => (IReadOnlyList<IReadOnlyList<Run>>)
                [[new Run($"Row{i}", type.TableBody)], [new Run("Some words that wrap over two lines in a narrow cell of this table.", type.TableBody)]]).ToList();
            var table = new Table([1, 2], [[new Run("A", type.TableHeader)], [new Run("B", type.TableHeader)]], rows);
            var lead = new Paragraph("Before", type.Body);
            var slices = table.Compose(fonts, 300).ToList();
            var rowHeight = slices.Skip(1).Max(r => r.Height);
            var leadSlices = lead.Compose(fonts, 300).ToList();
            // Page heights that end the first page at each point of the table in turn; every page can hold a header and two rows.
            var checkedBreaks = 0;
            for (var height = slices[0].Height + 3 * rowHeight + 1; height < leadSlices.Sum(l => l.Height) + slices.Sum(r => r.Height) + 20; height += 3)
            {
                var pages = Paginator.Paginate([.. leadSlices, .. slices], height);
                foreach (var page in pages)
                {
                    var rowsOnPage = page.Count(p => slices.IndexOf(p.Slice) > 0);
                    Assert.False(page.Any(p => ReferenceEquals(p.Slice, slices[0])) && rowsOnPage == 0, $"{rowCount} rows, page height {height}: the header stands alone");
                    Assert.False(rowsOnPage == 1, $"{rowCount} rows, page height {height}: a page shows a single row of the table");
                }
                checkedBreaks += pages.Count - 1;
            }
            totalBreaks += checkedBreaks;
        }
        Assert.True(totalBreaks > 20, $"only {totalBreaks} page breaks inside tables were tried");
    }
}
