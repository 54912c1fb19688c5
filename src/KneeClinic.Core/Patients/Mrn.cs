using System.Text.RegularExpressions;

namespace KneeClinic.Core.Patients;

/// <summary>
/// The clinic's medical record number: letters, digits and hyphens, starting with a letter or digit, kept in upper case
/// so "k-12" and "K-12" are one patient on every database (SQL Server's usual collation ignores case, SQLite's does not).
/// It sorts and compares by its characters, as the database does with the column's binary collation.
/// </summary>
public readonly partial record struct Mrn : IComparable<Mrn>
{
    public const int MaxLength = 32;

    public const string FormatMessage = "The MRN may contain letters, digits and hyphens, and starts with a letter or digit.";

    private readonly string? _value;

    private Mrn(string value) => _value = value;

    public string Value => _value ?? "";

    // Equal when they read the same (the empty default and an empty stored one are one): EF Core's compiled model keeps a property's
    // default as the stored value and reads it back through the converter, and must find it equal to the default.
    public bool Equals(Mrn other) => Value == other.Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    /// <summary>An MRN as typed (" k-12 " is "K-12"), or null when it is empty, too long, or holds other characters.</summary>
    public static Mrn? From(string? typed) =>
        typed?.Trim().ToUpperInvariant() is { Length: > 0 and <= MaxLength } clean && Allowed().IsMatch(clean) ? new Mrn(clean) : null;

    /// <summary>An MRN known to be one (a literal, a test's own); anything else is a programming error.</summary>
    public static Mrn Of(string typed) => From(typed) ?? throw new ArgumentException($"'{typed}' is not an MRN.", nameof(typed));

    /// <summary>The MRN as the database holds it.</summary>
    public static Mrn Stored(string value) => new(value);

    /// <summary>
    /// The MRNs starting with what was typed, as the half-open range [From, Before): a comparison the database answers
    /// from the MRN's unique index. Null when the typed start could not begin any MRN.
    /// </summary>
    public static (Mrn From, Mrn Before)? StartingWith(string? typed)
    {
        if (From(typed) is not { } start) return null;
        var value = start.Value;
        // Every MRN character sorts before '[' (after 'Z'), so raising the last character bounds the range.
        return (start, new Mrn(value[..^1] + (char)(value[^1] + 1)));
    }

    public override string ToString() => Value;

    public int CompareTo(Mrn other) => string.CompareOrdinal(Value, other.Value);

    public static bool operator <(Mrn left, Mrn right) => left.CompareTo(right) < 0;
    public static bool operator <=(Mrn left, Mrn right) => left.CompareTo(right) <= 0;
    public static bool operator >(Mrn left, Mrn right) => left.CompareTo(right) > 0;
    public static bool operator >=(Mrn left, Mrn right) => left.CompareTo(right) >= 0;

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]*$")]
    private static partial Regex Allowed();
}
