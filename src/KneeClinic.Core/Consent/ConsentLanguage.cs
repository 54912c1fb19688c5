using System.Globalization;
using System.Text.RegularExpressions;

namespace KneeClinic.Core.Consent;

/// <summary>
/// The language a consent form or short form is written in: a BCP 47 tag such as "en", "es" or "pt-br", kept in lower
/// case so "ES" and "es" are one language. Its name is shown in English and in the language itself, "Spanish (español)",
/// so a clinician can read it and a patient can recognise it.
/// </summary>
public readonly partial record struct ConsentLanguage : IComparable<ConsentLanguage>
{
    public const int MaxLength = 16;

    private readonly string? _tag;

    private ConsentLanguage(string tag) => _tag = tag;

    public static ConsentLanguage English { get; } = new("en");

    public string Tag => _tag ?? English.Tag;

    // Equal when they read the same (the default is English, as its tag says): EF Core's compiled model keeps a property's
    // default as the stored value and reads it back through the converter, and must find it equal to the default.
    public bool Equals(ConsentLanguage other) => Tag == other.Tag;

    public override int GetHashCode() => Tag.GetHashCode(StringComparison.Ordinal);

    /// <summary>"Spanish (español)"; just "English" where both names are the same; the tag where .NET knows no name.</summary>
    public string Name
    {
        get
        {
            try
            {
                var culture = CultureInfo.GetCultureInfo(Tag);
                return culture.EnglishName.StartsWith("Unknown", StringComparison.OrdinalIgnoreCase) ? Tag
                    : culture.EnglishName == culture.NativeName ? culture.EnglishName : $"{culture.EnglishName} ({culture.NativeName})";
            }
            catch (CultureNotFoundException)
            {
                return Tag;
            }
        }
    }

    /// <summary>The language of a tag as typed or sent ("es", " ES "), or null when it is not a language tag at all.</summary>
    public static ConsentLanguage? From(string? tag) =>
        tag?.Trim().ToLowerInvariant() is { Length: > 0 and <= MaxLength } clean && TagPattern().IsMatch(clean) ? new ConsentLanguage(clean) : null;

    /// <summary>A tag known to be one (as stored, or from a template's header already checked); anything else is a programming error.</summary>
    public static ConsentLanguage Of(string tag) => From(tag) ?? throw new ArgumentException($"'{tag}' is not a language tag.", nameof(tag));

    public override string ToString() => Tag;

    /// <summary>Languages sort by tag, as the database sorts the stored tags.</summary>
    public int CompareTo(ConsentLanguage other) => string.CompareOrdinal(Tag, other.Tag);

    public static bool operator <(ConsentLanguage left, ConsentLanguage right) => left.CompareTo(right) < 0;
    public static bool operator <=(ConsentLanguage left, ConsentLanguage right) => left.CompareTo(right) <= 0;
    public static bool operator >(ConsentLanguage left, ConsentLanguage right) => left.CompareTo(right) > 0;
    public static bool operator >=(ConsentLanguage left, ConsentLanguage right) => left.CompareTo(right) >= 0;

    [GeneratedRegex("^[a-z]{2,3}(-[a-z0-9]{2,8})*$")]
    private static partial Regex TagPattern();
}
