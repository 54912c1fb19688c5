using SkiaSharp;

namespace KneeClinic.Documents.Fonts;

public enum FontFace
{
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

/// <summary>Thrown at start when the font files are not where configuration says.</summary>
public sealed class FontsMissingException(string message) : Exception(message);

/// <summary>
/// The document fonts, loaded from files (never a system default), each kept ready for HarfBuzz
/// so every document can embed a subset with just the characters it draws.
/// </summary>
public sealed class FontSet : IDisposable
{
    public const string DefaultDirectory = "/usr/share/fonts/truetype/dejavu";

    private static readonly IReadOnlyDictionary<FontFace, string> Files = new Dictionary<FontFace, string>
    {
        [FontFace.Regular] = "DejaVuSans.ttf",
        [FontFace.Bold] = "DejaVuSans-Bold.ttf",
        [FontFace.Italic] = "DejaVuSans-Oblique.ttf",
        [FontFace.BoldItalic] = "DejaVuSans-BoldOblique.ttf",
    };

    private const int CachedSubsets = 256;
    private const int CachedTextBlobs = 20_000; // measured: about 4 MB when full
    private const long FontCacheBytes = 32L << 20;

    private readonly Dictionary<FontFace, HarfBuzzSubsetter> _subsetters;
    private readonly Dictionary<FontFace, SKTypeface> _full;

    // A subset depends only on the face and the exact set of characters, so documents drawing the same
    // characters share one (and its warm glyph cache); each PDF still embeds exactly the glyphs it draws.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(FontFace, string), Lazy<SKTypeface>> _subsets = new();

    private FontSet(Dictionary<FontFace, HarfBuzzSubsetter> subsetters, Dictionary<FontFace, SKTypeface> full)
    {
        _subsetters = subsetters;
        _full = full;
    }

    public static FontSet Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        var missing = Files.Values.Where(f => !File.Exists(Path.Combine(directory, f))).ToList();
        if (missing.Count > 0)
            throw new FontsMissingException(
                $"Consent PDFs need the DejaVu Sans fonts, but {string.Join(", ", missing)} not found in {directory}. " +
                "Install Debian's fonts-dejavu-core package, or set Documents:FontDirectory to a folder that has them.");

        // Skia keeps glyphs per typeface, and every document draws with its own subsets: the default 2 MB
        // cache holds the glyphs of only a few documents' fonts and thrashes under a stream of patients.
        if (SKGraphics.GetFontCacheLimit() < FontCacheBytes) SKGraphics.SetFontCacheLimit(FontCacheBytes);

        var subsetters = new Dictionary<FontFace, HarfBuzzSubsetter>();
        var full = new Dictionary<FontFace, SKTypeface>();
        foreach (var (face, file) in Files)
        {
            var path = Path.Combine(directory, file);
            var bytes = File.ReadAllBytes(path);
            subsetters[face] = new HarfBuzzSubsetter(bytes, path);
            full[face] = SKTypeface.FromData(SKData.CreateCopy(bytes))
                ?? throw new FontsMissingException($"{path} could not be read as a font.");
        }
        return new FontSet(subsetters, full);
    }

    /// <summary>The whole font, for measuring and glyph checks; documents embed <see cref="Subset"/>s.</summary>
    public SKTypeface Full(FontFace face) => _full[face];

    // Widths of words measured before: consent forms repeat the same template words from document to document.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, FontFace, float), float> _widths = new();

    internal bool TryGetWidth(string text, FontFace face, float size, out float width) => _widths.TryGetValue((text, face, size), out width);

    internal float RememberWidth(string text, FontFace face, float size, float width)
    {
        if (_widths.Count < 100_000) _widths.TryAdd((text, face, size), width);
        return width;
    }

    // Text turned into positioned glyphs, by subset and size: the template's lines come back in document
    // after document, drawn with the same shared subset, so their glyphs are looked up once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(SKTypeface, float, string), SKTextBlob> _blobs = new();

    /// <summary>
    /// <paramref name="text"/> as glyphs of <paramref name="font"/> (a font of <paramref name="subset"/>, made as
    /// every document font is), shared between documents; never dispose it.
    /// </summary>
    internal SKTextBlob? TextBlob(SKTypeface subset, SKFont font, string text)
    {
        var key = (subset, font.Size, text);
        if (_blobs.TryGetValue(key, out var blob)) return blob;
        blob = SKTextBlob.Create(text, font); // null when nothing in it can be drawn
        if (blob is null) return null;
        if (_blobs.Count >= CachedTextBlobs) _blobs.Clear(); // dropped blobs are left to the finalizer, as subsets are
        return _blobs.GetOrAdd(key, blob);
    }

    /// <summary>A new typeface holding only the glyphs for the given characters; the caller disposes it.</summary>
    public SKTypeface Subset(FontFace face, IEnumerable<int> codepoints)
    {
        var bytes = _subsetters[face].Subset(codepoints);
        return SKTypeface.FromData(SKData.CreateCopy(bytes))
            ?? throw new InvalidOperationException($"The {face} subset could not be loaded.");
    }

    /// <summary>The subset typeface for exactly these characters, shared between documents; never dispose it.</summary>
    public SKTypeface SharedSubset(FontFace face, IReadOnlyCollection<int> codepoints)
    {
        var key = string.Join(',', codepoints.Order());
        if (_subsets.Count >= CachedSubsets) _subsets.Clear(); // old typefaces are left to the finalizer
        return _subsets.GetOrAdd((face, key), _ => new Lazy<SKTypeface>(() => Subset(face, codepoints))).Value;
    }

    /// <summary>Characters of <paramref name="text"/> the fonts have no glyph for.</summary>
    public IReadOnlyList<string> MissingGlyphs(string text, FontFace face = FontFace.Regular)
    {
        using var font = new SKFont(_full[face]);
        return text.EnumerateRunes()
            .Where(r => !char.IsControl((char)Math.Min(r.Value, 0xFFFF)) && font.GetGlyph(r.Value) == 0)
            .Select(r => r.ToString()).Distinct().ToList();
    }

    public void Dispose()
    {
        foreach (var s in _subsetters.Values) s.Dispose();
        foreach (var t in _full.Values) t.Dispose();
    }
}
