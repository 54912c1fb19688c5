using KneeClinic.Documents.Fonts;
using SkiaSharp;

namespace KneeClinic.Documents.Layout;

/// <summary>
/// The fonts of one document. Text is measured with the whole fonts, whose glyph caches stay warm from
/// document to document, and drawn with the document's subsets; a subset keeps the glyphs' advances, so
/// both give the same widths.
/// </summary>
public sealed class DocumentFonts(IReadOnlyDictionary<FontFace, SKTypeface> drawWith, Fonts.FontSet? measureWith = null,
    LineCache? lineCache = null) : IDisposable
{
    private readonly Dictionary<(FontFace, float), SKFont> _draw = [];
    private readonly Dictionary<(FontFace, float), SKFont> _measure = [];
    private readonly Dictionary<(FontFace, float), SKFontMetrics> _metrics = [];
    private readonly Dictionary<SKColor, SKPaint> _paints = [];

    /// <summary>Lines broken before with the same measuring fonts, shared between documents.</summary>
    public LineCache? LineCache => measureWith is null ? null : lineCache;

    /// <summary>The font to draw <paramref name="style"/> with.</summary>
    public SKFont For(TextStyle style) => Font(_draw, drawWith[style.Face], style);

    /// <summary>Draws <paramref name="text"/> from <paramref name="x"/> on the baseline <paramref name="baseline"/>.</summary>
    public void DrawText(SKCanvas canvas, string text, TextStyle style, float x, float baseline)
    {
        if (text.Length == 0) return;
        var font = For(style);
        if (measureWith is not null)
        {
            if (measureWith.TextBlob(drawWith[style.Face], font, text) is { } shared) canvas.DrawText(shared, x, baseline, TextPaint(style.Color));
            return;
        }
        using var blob = SKTextBlob.Create(text, font);
        if (blob is not null) canvas.DrawText(blob, x, baseline, TextPaint(style.Color));
    }

    public float Width(string text, TextStyle style)
    {
        if (measureWith is null) return Font(_measure, drawWith[style.Face], style).MeasureText(text);
        return measureWith.TryGetWidth(text, style.Face, style.Size, out var width) ? width
            : measureWith.RememberWidth(text, style.Face, style.Size, Font(_measure, measureWith.Full(style.Face), style).MeasureText(text));
    }

    public SKFontMetrics Metrics(TextStyle style)
    {
        if (!_metrics.TryGetValue((style.Face, style.Size), out var metrics))
            _metrics[(style.Face, style.Size)] = metrics = Font(_measure, measureWith?.Full(style.Face) ?? drawWith[style.Face], style).Metrics;
        return metrics;
    }

    /// <summary>A fill paint for text of one color, made once per document.</summary>
    public SKPaint TextPaint(SKColor color)
    {
        if (!_paints.TryGetValue(color, out var paint))
            _paints[color] = paint = new SKPaint { Color = color, IsAntialias = true };
        return paint;
    }

    public static float LineHeight(TextStyle style) => style.Size * style.LineHeight;

    private static SKFont Font(Dictionary<(FontFace, float), SKFont> cache, SKTypeface typeface, TextStyle style)
    {
        if (!cache.TryGetValue((style.Face, style.Size), out var font))
        {
            // Unhinted, subpixel-positioned, linear metrics: what is measured is exactly what is drawn.
            font = new SKFont(typeface, style.Size)
            {
                Subpixel = true,
                LinearMetrics = true,
                Hinting = SKFontHinting.None,
                Edging = SKFontEdging.Antialias,
            };
            cache[(style.Face, style.Size)] = font;
        }
        return font;
    }

    /// <summary>Disposes the fonts made here; the typefaces belong to the <see cref="Fonts.FontSet"/>.</summary>
    public void Dispose()
    {
        foreach (var font in _draw.Values.Concat(_measure.Values)) font.Dispose();
        foreach (var paint in _paints.Values) paint.Dispose();
    }
}
