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
}
