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
    string PageLabel = "Page {0} of {1}",
    string Language = "en-US")
{
    public Typography Typography { get; init; } = Typography.Standard;
}

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

    /// <summary>An inch and a third each side: at 12 pt a line holds at most about 75 characters, the most that read easily.</summary>
    public const float SideMargin = 96;
    private const float HeaderHeight = 26, FooterHeight = 40;
    private readonly LineCache _lines = new();

    public RenderedPdf Render(IDocument document)
    {
        var frame = document.Frame;
        var content = document.Compose();
        using var fonts = SubsetFonts(content, frame);
        var headerRight = Fit(frame.HeaderRight, fonts, frame.Typography.Footer, PageWidth - 2 * SideMargin - fonts.Width(frame.HeaderLeft, frame.Typography.Footer) - 24);

        var width = PageWidth - 2 * SideMargin;
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
                foreach (var placed in pages[i]) placed.Slice.Draw(canvas, SideMargin, top + placed.Y);
                pdf.EndPage();
            }
            pdf.Close();
        }
        using var bytes = stream.DetachAsData();
        return new RenderedPdf(DocumentId.MakeDeterministic(PdfLanguage.Declare(bytes.ToArray(), frame.Language)), pages.Count);
    }

    private static void DrawFrame(SKCanvas canvas, DocumentFonts fonts, DocumentFrame frame, string headerRight, int page, int total)
    {
        using var rule = new SKPaint { Color = Typography.Rule, StrokeWidth = 0.6f };
        var style = frame.Typography.Footer;
        const float left = SideMargin, right = PageWidth - SideMargin;
        var headerY = Margin + 10;
        fonts.DrawText(canvas, frame.HeaderLeft, style, left, headerY);
        fonts.DrawText(canvas, headerRight, style, right - fonts.Width(headerRight, style), headerY);
        canvas.DrawLine(left, headerY + 6, right, headerY + 6, rule);

        // Two lines: the document number and page count, then the document check for staff.
        var footerY = PageHeight - Margin - style.Size * style.LineHeight;
        canvas.DrawLine(left, footerY - 14, right, footerY - 14, rule);
        fonts.DrawText(canvas, frame.FooterLeft, style, left, footerY);
        var pageLabel = string.Format(CultureInfo.InvariantCulture, frame.PageLabel, page, total);
        fonts.DrawText(canvas, pageLabel, style, right - fonts.Width(pageLabel, style), footerY);
        fonts.DrawText(canvas, frame.FooterRight, style, right - fonts.Width(frame.FooterRight, style), PageHeight - Margin);
    }

    /// <summary>The text cut at the last word that fits, with an ellipsis; a single long word is cut where it must be.</summary>
    internal static string Fit(string text, DocumentFonts fonts, TextStyle style, float width)
    {
        if (fonts.Width(text, style) <= width) return text;
        var words = text.Split(' ');
        for (var n = words.Length - 1; n >= 1; n--)
        {
            var shorter = string.Join(' ', words[..n]).TrimEnd(',', ';', ':', '-', '–') + "…";
            if (fonts.Width(shorter, style) <= width) return shorter;
        }
        var cut = text.Length;
        while (cut > 1 && fonts.Width(text[..cut] + "…", style) > width) cut--;
        return text[..cut] + "…";
    }

    private DocumentFonts SubsetFonts(IReadOnlyList<IComponent> content, DocumentFrame frame)
    {
        var framing = new[] { frame.HeaderLeft, frame.HeaderRight, frame.FooterLeft, frame.FooterRight, frame.PageLabel, "0123456789…" }
            .Select(t => new Run(t, frame.Typography.Footer));
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
