namespace KneeClinic.Core.Procedures;

/// <summary>
/// The code on a product's label: "CP-" and ten random characters, saying nothing about the patient. Read off a label
/// at the bedside it may come with spaces or in lower case; it is compared the way it is printed.
/// </summary>
public static class ProductCode
{
    public const string Prefix = "CP-";

    public static string New() => Prefix + RandomCode.New(10);

    /// <summary>The code as printed: trimmed, upper case.</summary>
    public static string Normalise(string typed) => typed.Trim().ToUpperInvariant();

    public static bool SameCode(string typed, string code) => string.Equals(Normalise(typed), code, StringComparison.Ordinal);
}
