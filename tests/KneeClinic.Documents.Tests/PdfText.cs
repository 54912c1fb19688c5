using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace KneeClinic.Documents.Tests;

/// <summary>A word read back from the PDF: where it stands, and the smallest and largest of its letters in points.</summary>
public sealed record PdfWord(string Text, int Page, double Left, double Right, double Bottom, double Top, double MinSize, double MaxSize, bool Grey);

/// <summary>A PDF read back with PdfPig: its words per page, and the whole text with single spaces.</summary>
public sealed class PdfText
{
    public PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => (p.Number, Words: p.GetWords().ToList())).ToList();
        Pages = pages.Select(p => p.Words.Select(w => w.Text).ToList()).ToList();
        Words = pages.SelectMany(p => p.Words.Select(w => new PdfWord(w.Text, p.Number, w.BoundingBox.Left, w.BoundingBox.Right,
            w.BoundingBox.Bottom, w.BoundingBox.Top, w.Letters.Min(l => l.PointSize), w.Letters.Max(l => l.PointSize),
            w.Letters.Any(IsGrey)))).ToList();
        Title = document.Information.Title;
        Author = document.Information.Author;
        Subject = document.Information.Subject;
        CreationDate = document.Information.CreationDate;
        Language = document.Structure.Catalog.CatalogDictionary.TryGet(UglyToad.PdfPig.Tokens.NameToken.Create("Lang"), out var lang)
            ? (lang as UglyToad.PdfPig.Tokens.StringToken)?.Data : null;
    }

    public IReadOnlyList<List<string>> Pages { get; }

    public IReadOnlyList<PdfWord> Words { get; }

    /// <summary>
    /// The words that start left of <paramref name="x"/> points, in order. PdfPig reads a table row by row
    /// across its columns; this keeps a table's first column together, so a wrapped cell reads as one phrase.
    /// </summary>
    public string TextLeftOf(double x) => string.Join(' ', Words.Where(w => w.Left < x).Select(w => w.Text));

    /// <summary>The words that start between <paramref name="from"/> and <paramref name="to"/> points: one table column.</summary>
    public string TextBetween(double from, double to) => string.Join(' ', Words.Where(w => w.Left >= from && w.Left < to).Select(w => w.Text));

    /// <summary>The words whose letters are all at least <paramref name="size"/> points, in reading order.</summary>
    public string TextAtLeast(double size) => string.Join(' ', Words.Where(w => w.MinSize >= size - 0.01).Select(w => w.Text));

    public string? Title { get; }
    public string? Author { get; }
    public string? Subject { get; }
    public string? CreationDate { get; }

    /// <summary>The /Lang entry of the document catalog.</summary>
    public string? Language { get; }

    public string All => string.Join(' ', Pages.SelectMany(p => p));

    public static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public bool Contains(string phrase) => All.Contains(Normalize(phrase), StringComparison.Ordinal);

    /// <summary>Lines of text: words of one page on one baseline, left to right.</summary>
    public IEnumerable<(int Page, double Bottom, IReadOnlyList<PdfWord> Words)> Lines() =>
        Words.GroupBy(w => (w.Page, Math.Round(w.Bottom))).Select(g => (g.Key.Page, (double)g.Key.Item2, (IReadOnlyList<PdfWord>)g.OrderBy(w => w.Left).ToList()));

    // Grey: red, green and blue about equal and not near black.
    private static bool IsGrey(Letter letter)
    {
        var (r, g, b) = letter.Color.ToRGBValues();
        return Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) < 0.06 && r > 0.25;
    }
}
