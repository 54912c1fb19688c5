using System.Globalization;

namespace KneeClinic.Core.Patients;

/// <summary>
/// Phone numbers as the patient search compares them: the digits alone, whatever the formatting ("+1 (555) 010-2030",
/// "555 0102030"), kept in reverse order. People type the end of a number (the local part, without the country or area
/// code) far more often than its start, and a number's end is the start of the reversed digits: "ends with" becomes a
/// prefix, which an ordinary index answers as a range, where <c>LIKE '%0102030'</c> would read every row.
/// </summary>
public static class PhoneKey
{
    /// <summary>Fewer digits than this would find too many people: a search needs at least the local part of a number.</summary>
    public const int MinimumDigits = 7;

    public const int MaxLength = 40;

    /// <summary>
    /// The stored key of a phone number: its digits (any script's decimal digits, as 0-9) up to the first letter, so an
    /// extension ("x12", "ext. 12") is not taken for part of the number; reversed. Empty when there are none.
    /// </summary>
    public static string Of(string? phone)
    {
        if (phone is null) return "";
        var digits = new List<char>(phone.Length);
        foreach (var c in phone)
        {
            if (char.IsLetter(c)) break;
            if (CharUnicodeInfo.GetDecimalDigitValue(c) is var d and >= 0) digits.Add((char)('0' + d));
        }
        digits.Reverse();
        return new string([.. digits.Take(MaxLength)]);
    }

    /// <summary>
    /// Whether a search text is a phone number rather than a name: it has no letters and at least one digit. A text with a
    /// letter stays a name search.
    /// </summary>
    public static bool LooksLikePhone(string? text) => text is not null && !text.Any(char.IsLetter) && text.Any(char.IsDigit);

    /// <summary>
    /// The search for a typed phone number, or null when it has fewer than <see cref="MinimumDigits"/> digits. A stored
    /// number matches when one of the two ends with the other: the typed digits are the end of the stored number ("555
    /// 0102030" finds "+1 555 010 2030"), or the stored number is the end of what was typed (a country code typed before a
    /// number stored without it).
    /// </summary>
    public static PhoneSearch? Search(string? text)
    {
        var key = Of(text);
        if (key.Length < MinimumDigits) return null;
        return new PhoneSearch(key, After(key), [.. Enumerable.Range(MinimumDigits, key.Length - MinimumDigits).Select(n => key[..n])]);
    }

    /// <summary>
    /// The smallest digit string greater than every string starting with <paramref name="key"/>; null when there is none
    /// (all nines). Digits only, so the range means the same under any collation.
    /// </summary>
    private static string? After(string key)
    {
        var last = key.Length - 1;
        while (last >= 0 && key[last] == '9') last--;
        return last < 0 ? null : key[..last] + (char)(key[last] + 1);
    }
}

/// <summary>
/// A phone search: stored keys from <paramref name="From"/> (inclusive) to <paramref name="Before"/> (exclusive; none when
/// null) start with the typed key; <paramref name="Shorter"/> are the typed key's starts that a shorter stored number
/// would equal.
/// </summary>
public sealed record PhoneSearch(string From, string? Before, IReadOnlyList<string> Shorter);
