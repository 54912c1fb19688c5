using UglyToad.PdfPig;

namespace KneeClinic.Documents.Tests;

/// <summary>A PDF read back with PdfPig: its words per page, and the whole text with single spaces.</summary>
public sealed class PdfText
{
    public PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => p.GetWords().ToList()).ToList();
        Pages = pages.Select(p => p.Select(w => w.Text).ToList()).ToList();
        _positioned = pages.SelectMany(p => p.Select(w => (w.Text, w.BoundingBox.Left))).ToList();
        Title = document.Information.Title;
        Author = document.Information.Author;
        Subject = document.Information.Subject;
        CreationDate = document.Information.CreationDate;
    }

    private readonly List<(string Text, double Left)> _positioned;

    public IReadOnlyList<List<string>> Pages { get; }

    /// <summary>
    /// The words that start left of <paramref name="x"/> points, in order. PdfPig reads a table row by row
    /// across its columns; this keeps a table's first column together, so a wrapped cell reads as one phrase.
    /// </summary>
    public string TextLeftOf(double x) => string.Join(' ', _positioned.Where(w => w.Left < x).Select(w => w.Text));
    public string? Title { get; }
    public string? Author { get; }
    public string? Subject { get; }
    public string? CreationDate { get; }

    public string All => string.Join(' ', Pages.SelectMany(p => p));

    public static string Normalize(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public bool Contains(string phrase) => All.Contains(Normalize(phrase), StringComparison.Ordinal);
}
