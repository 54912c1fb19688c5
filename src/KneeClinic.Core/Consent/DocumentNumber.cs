namespace KneeClinic.Core.Consent;

/// <summary>
/// The number printed on every page of a consent form, and in its QR code: "KC-", the year, eight random characters.
/// It identifies the paper without saying anything about the patient. Typed back from paper it may come with spaces or
/// in lower case; it is compared the way it is printed.
/// </summary>
public readonly record struct DocumentNumber
{
    public const int MaxLength = 32;

    private readonly string? _value;

    private DocumentNumber(string value) => _value = value;

    public string Value => _value ?? "";

    // Equal when they read the same (the empty default and an empty stored one are one): EF Core's compiled model keeps a property's
    // default as the stored value and reads it back through the converter, and must find it equal to the default.
    public bool Equals(DocumentNumber other) => Value == other.Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public static DocumentNumber New(DateTimeOffset now) => new($"KC-{now.Year}-{RandomCode.New(8)}");

    /// <summary>A number as typed from the paper or read from its QR code: trimmed, upper case.</summary>
    public static DocumentNumber Read(string typed) => new(typed.Trim().ToUpperInvariant());

    /// <summary>The number as the database holds it.</summary>
    public static DocumentNumber Stored(string value) => new(value);

    public override string ToString() => Value;

    public static implicit operator string(DocumentNumber number) => number.Value;
}
