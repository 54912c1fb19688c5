using System.Globalization;
using System.Text;

namespace KneeClinic.Core.Patients;

/// <summary>
/// Names as a search compares them: without accents and case, so "lefevre" finds "Lefèvre" and "ostergard" finds
/// "Østergård". Letters that are not a base letter plus an accent (ø, æ, ß, đ, ł) are spelled the way they are typed on
/// a keyboard without them.
/// </summary>
public static class SearchKey
{
    private static readonly Dictionary<char, string> Spelled = new()
    {
        ['ø'] = "o",
        ['æ'] = "ae",
        ['œ'] = "oe",
        ['ß'] = "ss",
        ['đ'] = "d",
        ['ð'] = "d",
        ['ł'] = "l",
        ['ı'] = "i",
        ['þ'] = "th",
    };

    public static string Of(string text)
    {
        var key = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (Spelled.TryGetValue(c, out var spelled)) key.Append(spelled);
            else if (char.IsWhiteSpace(c)) { if (key.Length > 0 && key[^1] != ' ') key.Append(' '); }
            else key.Append(c);
        }
        return key.ToString().Trim().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The words of a search key: runs of letters and digits, so "muller-overgard" holds "muller" and "overgard"
    /// and "o'brien" holds "o" and "brien". A typed search is cut the same way, so each of its words is the start of one.
    /// </summary>
    public static IEnumerable<string> Words(string key)
    {
        var start = -1;
        for (var i = 0; i <= key.Length; i++)
        {
            var inWord = i < key.Length && char.IsLetterOrDigit(key[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                yield return key[start..i];
                start = -1;
            }
        }
    }

    /// <summary>
    /// The first text after every text that starts with <paramref name="prefix"/> in ordinal order: "smi" gives "smj",
    /// so a word starts with "smi" when "smi" &lt;= word &lt; "smj" (a range an index answers). Null when there is none.
    /// </summary>
    public static string? After(string prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
            if (prefix[i] < char.MaxValue) return prefix[..i] + (char)(prefix[i] + 1);
        return null;
    }
}
