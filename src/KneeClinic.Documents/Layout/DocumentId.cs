using System.Security.Cryptography;
using System.Text;

namespace KneeClinic.Documents.Layout;

/// <summary>
/// Skia makes the PDF's document UUID (the trailer /ID and the XMP DocumentID and InstanceID) from the
/// wall clock, so the same document rendered twice differs. This swaps it for a UUID hashed from the
/// document itself. The replacement has the same length, so every cross-reference offset stays valid.
/// </summary>
internal static class DocumentId
{
    private static readonly byte[] TrailerMarker = "/ID [<"u8.ToArray();

    public static byte[] MakeDeterministic(byte[] pdf)
    {
        var at = pdf.AsSpan().LastIndexOf(TrailerMarker);
        if (at < 0) return pdf;
        var hex = Encoding.ASCII.GetString(pdf, at + TrailerMarker.Length, 32);
        if (!hex.All(Uri.IsHexDigit)) return pdf;

        var forms = new[] { hex.ToUpperInvariant(), Dashed(hex.ToLowerInvariant()) };
        var zeroed = Replace(pdf, forms, [new string('0', 32), Dashed(new string('0', 32))]);
        var id = Convert.ToHexString(SHA256.HashData(zeroed), 0, 16);
        return Replace(pdf, forms, [id, Dashed(id.ToLowerInvariant())]);
    }

    private static string Dashed(string hex) => $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";

    private static byte[] Replace(byte[] source, string[] from, string[] to)
    {
        var result = (byte[])source.Clone();
        for (var k = 0; k < from.Length; k++)
        {
            var needle = Encoding.ASCII.GetBytes(from[k]);
            var replacement = Encoding.ASCII.GetBytes(to[k]);
            var span = result.AsSpan();
            for (var i = span.IndexOf(needle); i >= 0;)
            {
                replacement.CopyTo(span[i..]);
                var next = span[(i + needle.Length)..].IndexOf(needle);
                i = next < 0 ? -1 : i + needle.Length + next;
            }
        }
        return result;
    }
}
