using System.Globalization;
using KneeClinic.Documents.Fonts;
using SkiaSharp;

namespace KneeClinic.Documents.Layout;

/// <summary>What a document says about itself: PDF metadata and the text of every page's header and footer.</summary>
public sealed record DocumentFrame(
    string Title,
    string Author,
    string Subject,
    DateTimeOffset CreatedAt,
    string HeaderLeft,
    string HeaderRight,
    string FooterLeft,
    string FooterRight,
    string PageLabel = "Page {0} of {1}");

/// <summary>A document made of components, composed the way QuestPDF's IDocument is.</summary>
public interface IDocument
{
    DocumentFrame Frame { get; }

    IReadOnlyList<IComponent> Compose();
}

/// <summary>
/// Lays components out on US Letter pages and writes a PDF with SkiaSharp. The fonts are subset per
/// document to exactly the characters drawn, header, footer and page numbers included.
/// </summary>
public sealed class PdfRenderer(FontSet fontSet)
{
    public const float PageWidth = 612, PageHeight = 792, Margin = 54;
    private const float HeaderHeight = 24, FooterHeight = 22;
    private readonly LineCache _lines = new();

    public RenderedPdf Render(IDocument document)
    {
        var frame = document.Frame;
        var content = document.Compose();
        using var fonts = SubsetFonts(content, frame);
        var headerRight = Fit(frame.HeaderRight, fonts, PageWidth / 2 - Margin);

        var width = PageWidth - 2 * Margin;
        var slices = content.SelectMany(c => c.Compose(fonts, width)).ToList();
        var pages = Paginator.Paginate(slices, PageHeight - 2 * Margin - HeaderHeight - FooterHeight);

        // A native stream: Skia writes the PDF in many small pieces, and a managed stream would take each through a callback.
        using var stream = new SKDynamicMemoryWStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = frame.Title,
            Author = frame.Author,
            Subject = frame.Subject,
            Creator = "KneeClinic",
            Producer = "KneeClinic",
            Creation = frame.CreatedAt.UtcDateTime,
            Modified = frame.CreatedAt.UtcDateTime,
            PdfA = true,
            RasterDpi = 300,
            EncodingQuality = 101,
        };
        using (var pdf = SKDocument.CreatePdf(stream, metadata))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = pdf.BeginPage(PageWidth, PageHeight);
                DrawFrame(canvas, fonts, frame, headerRight, i + 1, pages.Count);
                var top = Margin + HeaderHeight;
                foreach (var placed in pages[i]) placed.Slice.Draw(canvas, Margin, top + placed.Y);
                pdf.EndPage();
            }
            pdf.Close();
        }
        using var bytes = stream.DetachAsData();
        return new RenderedPdf(DocumentId.MakeDeterministic(bytes.ToArray()), pages.Count);
    }

    private static void DrawFrame(SKCanvas canvas, DocumentFonts fonts, DocumentFrame frame, string headerRight, int page, int total)
    {
        using var rule = new SKPaint { Color = Typography.Rule, StrokeWidth = 0.6f };
        var style = Typography.Footer;
        var headerY = Margin + 8;
        fonts.DrawText(canvas, frame.HeaderLeft, style, Margin, headerY);
        fonts.DrawText(canvas, headerRight, style, PageWidth - Margin - fonts.Width(headerRight, style), headerY);
        canvas.DrawLine(Margin, headerY + 6, PageWidth - Margin, headerY + 6, rule);

        var footerY = PageHeight - Margin;
        canvas.DrawLine(Margin, footerY - 12, PageWidth - Margin, footerY - 12, rule);
        fonts.DrawText(canvas, frame.FooterLeft, style, Margin, footerY);
        var pageLabel = string.Format(CultureInfo.InvariantCulture, frame.PageLabel, page, total);
        fonts.DrawText(canvas, pageLabel, style, PageWidth / 2 - fonts.Width(pageLabel, style) / 2, footerY);
        fonts.DrawText(canvas, frame.FooterRight, style, PageWidth - Margin - fonts.Width(frame.FooterRight, style), footerY);
    }

    private static string Fit(string text, DocumentFonts fonts, float width)
    {
        if (fonts.Width(text, Typography.Footer) <= width) return text;
        var cut = text.Length;
        while (cut > 1 && fonts.Width(text[..cut] + "…", Typography.Footer) > width) cut = Math.Max(1, cut - Math.Max(1, cut / 8));
        while (cut < text.Length && fonts.Width(text[..(cut + 1)] + "…", Typography.Footer) <= width) cut++;
        return text[..cut] + "…";
    }

    private DocumentFonts SubsetFonts(IReadOnlyList<IComponent> content, DocumentFrame frame)
    {
        var framing = new[] { frame.HeaderLeft, frame.HeaderRight, frame.FooterLeft, frame.FooterRight, frame.PageLabel, "0123456789…" }
            .Select(t => new Run(t, Typography.Footer));
        var byFace = new Dictionary<FontFace, HashSet<int>>();
        foreach (var run in content.SelectMany(c => c.Runs()).Concat(framing))
        {
            if (!byFace.TryGetValue(run.Style.Face, out var set)) byFace[run.Style.Face] = set = [' ', '…'];
            foreach (var rune in run.Text.EnumerateRunes()) set.Add(rune.Value);
        }
        var typefaces = byFace.ToDictionary(kv => kv.Key, kv => fontSet.SharedSubset(kv.Key, kv.Value));
        return new DocumentFonts(typefaces, fontSet, _lines);
    }
}

public sealed record RenderedPdf(byte[] Bytes, int Pages);
