using KneeClinic.Documents.Fonts;
using SkiaSharp;

namespace KneeClinic.Documents.Layout;

/// <summary>The typefaces one document draws with, and SKFonts made from them on demand.</summary>
public sealed class DocumentFonts(IReadOnlyDictionary<FontFace, SKTypeface> typefaces) : IDisposable
{
    private readonly Dictionary<(FontFace, float), SKFont> _fonts = [];

    public SKFont For(TextStyle style)
    {
        if (!_fonts.TryGetValue((style.Face, style.Size), out var font))
        {
            // Unhinted, subpixel-positioned, linear metrics: what is measured is exactly what is drawn.
            font = new SKFont(typefaces[style.Face], style.Size)
            {
                Subpixel = true,
                LinearMetrics = true,
                Hinting = SKFontHinting.None,
                Edging = SKFontEdging.Antialias,
            };
            _fonts[(style.Face, style.Size)] = font;
        }
        return font;
    }

    public float Width(string text, TextStyle style) => For(style).MeasureText(text);

    public float LineHeight(TextStyle style) => style.Size * style.LineHeight;

    public void Dispose()
    {
        foreach (var font in _fonts.Values) font.Dispose();
        foreach (var typeface in typefaces.Values) typeface.Dispose();
    }
}
