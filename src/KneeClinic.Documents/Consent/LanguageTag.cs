namespace KneeClinic.Documents.Consent;

/// <summary>The parts of a BCP 47 language tag ("es-MX") the documents need.</summary>
public static class LanguageTag
{
    /// <summary>The language itself, without region or script: "es" for "es-MX", "en" for "EN".</summary>
    public static string Primary(string tag) => tag.Split('-', 2)[0].Trim().ToLowerInvariant();

    public static bool IsEnglish(string tag) => Primary(tag) == "en";

    public static bool IsSpanish(string tag) => Primary(tag) == "es";
}
