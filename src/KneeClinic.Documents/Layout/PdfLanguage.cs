using System.Globalization;
using System.Text;

namespace KneeClinic.Documents.Layout;

/// <summary>
/// Adds the document's natural language (/Lang) to the PDF catalog, which screen readers use to pick a voice.
/// SkiaSharp 3.119's PDF metadata has no field for it. The entry is inserted after "/Type /Catalog"; every
/// cross-reference offset after that point, and startxref, move by the inserted length.
/// </summary>
internal static class PdfLanguage
{
    private static readonly byte[] Catalog = "/Type /Catalog\n"u8.ToArray();
    private static readonly byte[] XrefMarker = "\nxref\n"u8.ToArray();
    private static readonly byte[] StartXref = "\nstartxref\n"u8.ToArray();

    public static byte[] Declare(byte[] pdf, string language)
    {
        var at = pdf.AsSpan().IndexOf(Catalog);
        var xref = pdf.AsSpan().LastIndexOf(XrefMarker);
        var start = pdf.AsSpan().LastIndexOf(StartXref);
        if (at < 0 || xref < at || start < xref || !language.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw new InvalidOperationException("The PDF writer's output is not laid out as expected; /Lang cannot be added.");
        at += Catalog.Length;
        var insert = Encoding.ASCII.GetBytes($"/Lang ({language})\n");
        var shift = insert.Length;

        var output = new MemoryStream(pdf.Length + shift + 8);
        output.Write(pdf, 0, at);
        output.Write(insert);
        output.Write(pdf, at, xref + 1 - at);

        // The cross-reference table: "xref", then "first count" subsections of 20-byte entries "oooooooooo ggggg n \n".
        var table = Encoding.ASCII.GetString(pdf, xref + 1, start + 1 - (xref + 1));
        var lines = table.Split('\n');
        var rewritten = new StringBuilder(table.Length);
        foreach (var line in lines[..^1])
        {
            if (line.Length == 19 && line[10] == ' ' && line[16] == ' ' && line[18] == ' ' && line[17] == 'n'
                && long.TryParse(line[..10], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                rewritten.Append((offset >= at ? offset + shift : offset).ToString("D10", CultureInfo.InvariantCulture)).Append(line[10..]);
            else
                rewritten.Append(line);
            rewritten.Append('\n');
        }
        output.Write(Encoding.ASCII.GetBytes(rewritten.ToString()));

        var tail = Encoding.ASCII.GetString(pdf, start + 1, pdf.Length - start - 1);
        var parts = tail.Split('\n');
        parts[1] = (long.Parse(parts[1], CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture);
        output.Write(Encoding.ASCII.GetBytes(string.Join('\n', parts)));
        return output.ToArray();
    }
}
