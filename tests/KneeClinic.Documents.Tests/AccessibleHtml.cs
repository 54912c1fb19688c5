using AngleSharp.Html.Parser;
using KneeClinic.Documents.Consent;

namespace KneeClinic.Documents.Tests;

/// <summary>
/// SkiaSharp 3.119's PDF writer cannot tag a PDF (no structure tree in its API), so the same form is offered as an HTML
/// page a screen reader can follow: the same words, with the language, headings, lists and table headers marked.
/// </summary>
public sealed class AccessibleHtml(Templates templates) : IClassFixture<Templates>
{
    [Theory]
    [MemberData(nameof(Templates.FilesAndBases), MemberType = typeof(Templates))]
    public void ThePageSaysWhatThePdfSaysWithItsStructureMarked(string file, bool study)
    {
        var template = Templates.Load(file);
        var request = Templates.Request(file, study);
        var page = new HtmlParser().ParseDocument(ConsentRenderer.Html(template, request));
        var resolved = template.Resolve(ConsentPdfValues.For(request, template), request.Basis);
        var pdf = new PdfText(templates.Render(file, request).Pdf);

        Assert.Equal(template.Header.Language == "es" ? "es-US" : "en-US", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(resolved.Title, page.Title);
        Assert.Equal(resolved.Title, page.QuerySelector("h1")!.TextContent);
        var headings = page.QuerySelectorAll("h2, h3").Select(e => e.TextContent).ToList();
        foreach (var heading in resolved.Blocks.SelectMany(b => b is ResolvedConditional c ? c.Content : [b]).OfType<ResolvedHeading>())
            Assert.Contains(string.Concat(heading.Runs.Select(r => r.Text)), headings);
        var text = PdfText.Normalize(page.Body!.TextContent);
        foreach (var prose in resolved.Prose())
            Assert.Contains(PdfText.Normalize(prose), text);
        // The same words as the PDF: every word the PDF prints outside its page frame is on the page.
        var words = text.Split(' ').ToHashSet();
        var missing = pdf.Words.Where(w => w.Top < 792 - 54 - 26 && w.Bottom > 54 + 40).Select(w => w.Text).Where(w => w != "•" && !words.Contains(w) && !text.Contains(w)).Distinct().ToList();
        Assert.True(missing.Count == 0, $"{file}: printed but not on the page: {string.Join(" ", missing.Take(20))}");
        // Tables have header cells; risk names are row headers.
        Assert.All(page.QuerySelectorAll("table"), t => Assert.NotEmpty(t.QuerySelectorAll("thead th[scope=col]")));
        Assert.Contains(page.QuerySelectorAll("tbody th[scope=row]"), th => th.TextContent == (template.Header.Language == "es" ? "Infección" : "Infection"));
        Assert.Equal(template.Labels["teach_back_initials"], page.QuerySelectorAll("table.teach-back thead th")[1].TextContent);
        foreach (var role in new[] { "patient_role", "representative_role", "obtainer_role", "witness_role", "interpreter_role" })
            Assert.Contains(template.Labels[role], page.QuerySelectorAll("h3").Select(e => e.TextContent));
        Assert.Contains(request.DocumentNumber, page.QuerySelector("footer")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("script, img:not([alt])"));
    }

    [Fact]
    public void PatientDataIsTextNeverMarkup()
    {
        const string file = "bone-marrow.en.md";
        var request = Templates.Request(file) with { PatientName = "<script>alert(1)</script> O'Brien & \"Sons\"" };

        var html = ConsentRenderer.Html(Templates.Load(file), request);
        var page = new HtmlParser().ParseDocument(html);

        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.Contains("<script>alert(1)</script> O'Brien & \"Sons\"", page.Body!.TextContent);
    }
}
