using System.Security.Cryptography;
using System.Text;

namespace KneeClinic.Documents.Layout;

/// <summary>
/// Skia makes the PDF's document UUID (the trailer /ID and the XMP DocumentID and InstanceID) from the
/// wall clock, so the same document rendered twice differs. This swaps it for a UUID hashed from the
/// document itself. In the XMP the UUID is written as dashed hex, and replaced in place (same length); in
/// the trailer Skia writes the 16 bytes as a hex string or, when that is shorter, as a literal string, so
/// the trailer's /ID array is rewritten as hex. The trailer follows the cross-reference table, so no
/// offset moves.
/// </summary>
internal static class DocumentId
{
    private static readonly byte[] XmpMarker = "<xmpMM:DocumentID>uuid:"u8.ToArray();
    private static readonly byte[] TrailerMarker = "\ntrailer\n"u8.ToArray();
    private static readonly byte[] IdMarker = "/ID ["u8.ToArray();

    public static byte[] MakeDeterministic(byte[] pdf)
    {
        var xmp = pdf.AsSpan().IndexOf(XmpMarker);
        var trailer = pdf.AsSpan().LastIndexOf(TrailerMarker);
        if (xmp < 0 || trailer < 0) throw new InvalidOperationException("The PDF writer's output has no XMP document ID or trailer.");
        var dashed = Encoding.ASCII.GetString(pdf, xmp + XmpMarker.Length, 36);
        if (!Guid.TryParseExact(dashed, "D", out _)) throw new InvalidOperationException("The XMP document ID is not a UUID.");
        var idStart = pdf.AsSpan(trailer).IndexOf(IdMarker);
        if (idStart < 0) throw new InvalidOperationException("The PDF trailer has no /ID.");
        idStart += trailer + IdMarker.Length;
        var idEnd = EndOfArray(pdf, idStart);

        var id = Convert.ToHexString(SHA256.HashData(WithId(pdf, dashed, idStart, idEnd, new string('0', 32))), 0, 16);
        return WithId(pdf, dashed, idStart, idEnd, id);
    }

    private static byte[] WithId(byte[] pdf, string dashed, int idStart, int idEnd, string hex)
    {
        var array = Encoding.ASCII.GetBytes($"<{hex}> <{hex}>");
        var result = new byte[idStart + array.Length + pdf.Length - idEnd];
        pdf.AsSpan(0, idStart).CopyTo(result);
        array.CopyTo(result.AsSpan(idStart));
        pdf.AsSpan(idEnd).CopyTo(result.AsSpan(idStart + array.Length));
        // The XMP's DocumentID and InstanceID: the same length, so replaced where they stand.
        var needle = Encoding.ASCII.GetBytes(dashed);
        var replacement = Encoding.ASCII.GetBytes(Dashed(hex.ToLowerInvariant()));
        var head = result.AsSpan(0, idStart);
        for (var i = head.IndexOf(needle); i >= 0;)
        {
            replacement.CopyTo(head[i..]);
            var next = head[(i + needle.Length)..].IndexOf(needle);
            i = next < 0 ? -1 : i + needle.Length + next;
        }
        return result;
    }

    // The closing bracket of the /ID array, skipping the contents of literal strings, which may hold escaped brackets.
    private static int EndOfArray(byte[] pdf, int at)
    {
        var depth = 0;
        for (var i = at; i < pdf.Length; i++)
        {
            var c = pdf[i];
            if (depth > 0 && c == '\\') i++;
            else if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (c == ']' && depth == 0) return i;
        }
        throw new InvalidOperationException("The PDF trailer's /ID array does not end.");
    }

    private static string Dashed(string hex) => $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
}
