namespace KneeClinic.Core.Procedures;

/// <summary>
/// The code on a product's label: "CP-" and ten random characters, saying nothing about the patient. Read off a label
/// at the bedside it may come with spaces or in lower case; it is compared the way it is printed.
/// </summary>
public readonly record struct ProductCode
{
    public const string Prefix = "CP-";
    public const int MaxLength = 32;

    private readonly string? _value;

    private ProductCode(string value) => _value = value;

    public string Value => _value ?? "";

    // Equal when they read the same (the empty default and an empty stored one are one): EF Core's compiled model keeps a property's
    // default as the stored value and reads it back through the converter, and must find it equal to the default.
    public bool Equals(ProductCode other) => Value == other.Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public static ProductCode New() => new(Prefix + RandomCode.New(10));

    /// <summary>A code as typed or scanned: trimmed, upper case.</summary>
    public static ProductCode Read(string typed) => new(typed.Trim().ToUpperInvariant());

    /// <summary>The code as the database holds it (already in its printed form).</summary>
    public static ProductCode Stored(string value) => new(value);

    /// <summary>Whether <paramref name="typed"/> is this code, as a person reads it off the label.</summary>
    public bool Matches(string typed) => Read(typed) == this;

    /// <summary>
    /// The prefix and the last four characters, the rest hidden: enough to tell two products apart on a screen, not enough
    /// to copy into the injection check instead of reading the label.
    /// </summary>
    public string Masked => Value.Length <= Prefix.Length + 4 ? Value
        : Value[..Prefix.Length] + new string('•', Value.Length - Prefix.Length - 4) + Value[^4..];

    public override string ToString() => Value;

    public static implicit operator string(ProductCode code) => code.Value;
}
