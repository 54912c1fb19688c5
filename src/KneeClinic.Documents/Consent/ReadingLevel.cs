using System.Text.RegularExpressions;

namespace KneeClinic.Documents.Consent;

public sealed record ReadingLevelResult(double Grade, int Words, int Sentences, int Syllables, bool English = true)
{
    public const double Target = 8.0;

    /// <summary>The grade-8 target is judged for English only: the formula was made for English text.</summary>
    public bool MeetsTarget => !English || Grade <= Target;

    public string Summary => English
        ? $"Flesch-Kincaid grade {Grade}{(MeetsTarget ? "" : " (above the target of 8)")}"
        : $"Flesch-Kincaid grade {Grade} (a guide only: the formula is made for English and scores Spanish higher)";
}

/// <summary>
/// Flesch-Kincaid grade: 0.39 × words/sentence + 11.8 × syllables/word − 15.59. Headings, list items and
/// table cells each count as a sentence. Syllables are estimated from vowel groups; for Spanish, whose
/// spelling follows its sound, that estimate is close, but the formula itself was made for English, so a
/// Spanish grade is only a guide.
/// </summary>
public static partial class ReadingLevel
{
    public static ReadingLevelResult Of(ResolvedConsentText text, string language) =>
        Of(text.Units().Prepend(text.Title).ToList(), language);

    public static ReadingLevelResult Of(IReadOnlyList<string> units, string language)
    {
        int words = 0, sentences = 0, syllables = 0;
        var spanish = language.StartsWith("es", StringComparison.OrdinalIgnoreCase);
        foreach (var unit in units)
        {
            var unitWords = WordPattern().Matches(unit).Select(m => m.Value).ToList();
            if (unitWords.Count == 0) continue;
            words += unitWords.Count;
            syllables += unitWords.Sum(w => spanish ? SpanishSyllables(w) : EnglishSyllables(w));
            // Every unit ends a sentence at least once; more sentence ends inside it count too.
            sentences += Math.Max(1, SentenceEnd().Matches(unit.TrimEnd()).Count + (SentenceEnd().IsMatch(unit.TrimEnd()[^1..]) ? 0 : 1));
        }
        if (words == 0) return new ReadingLevelResult(0, 0, 0, 0, !spanish);
        var grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59;
        return new ReadingLevelResult(Math.Round(grade, 1), words, sentences, syllables, !spanish);
    }

    internal static int EnglishSyllables(string word)
    {
        var w = word.ToLowerInvariant();
        if (w.Length <= 3) return 1;
        // A final "ed" is silent except after t or d (in-jec-ted); "es" except after a hissing sound (box-es).
        if (w.EndsWith("ed") && w[^3] is not ('t' or 'd')) w = w[..^2];
        else if (w.EndsWith("es") && w[^3] is not ('s' or 'x' or 'z' or 'c' or 'g' or 'h')) w = w[..^2];
        else if (w.EndsWith('e') && !w.EndsWith("le")) w = w[..^1];
        var count = EnglishVowels().Matches(w).Count;
        return Math.Max(1, count);
    }

    internal static int SpanishSyllables(string word)
    {
        // A vowel group is one syllable unless it joins two strong vowels (a, e, o) or a stressed weak one (í, ú).
        var w = word.ToLowerInvariant();
        var count = 0;
        var previousVowel = false;
        char previous = ' ';
        foreach (var c in w)
        {
            var vowel = "aeiouáéíóúü".Contains(c);
            if (vowel && (!previousVowel || Hiatus(previous, c))) count++;
            previousVowel = vowel;
            previous = c;
        }
        return Math.Max(1, count);

        static bool Hiatus(char a, char b) => ("aeoáéó".Contains(a) && "aeoáéó".Contains(b)) || "íú".Contains(a) || "íú".Contains(b);
    }

    [GeneratedRegex(@"[\p{L}][\p{L}'’-]*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[.!?]+(?=\s|$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex("[aeiouy]+")]
    private static partial Regex EnglishVowels();
}
