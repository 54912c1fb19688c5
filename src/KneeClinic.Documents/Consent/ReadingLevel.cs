using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KneeClinic.Documents.Consent;

/// <summary>
/// A reading-level score of one language's consent text, with the counts it was computed from, the target
/// for that language and whether the text meets it. English: Flesch-Kincaid grade (lower is easier).
/// Spanish: Szigriszt-Pazos perspicuity read on the INFLESZ scale (higher is easier), with Fernández-Huerta
/// as <see cref="Secondary"/>. Scores are rounded to one decimal, as shown, and judged as shown.
/// </summary>
public sealed record ReadingLevelResult(string Language, string Index, double Score, int Words, int Sentences, int Syllables, double? Secondary = null)
{
    public const double EnglishTarget = 8.0;
    public const double SpanishTarget = 55.0;

    public bool English => Index == ReadingLevel.FleschKincaid;
    public bool Spanish => Index == ReadingLevel.Inflesz;

    /// <summary>The Flesch-Kincaid grade of English text; Spanish has no grade (see <see cref="Score"/>).</summary>
    public double? Grade => English ? Score : null;

    /// <summary>The name of <see cref="Secondary"/>, or "" when there is none.</summary>
    public string SecondaryIndex => Spanish ? ReadingLevel.FernandezHuerta : "";

    public bool MeetsTarget => Words > 0 && (English ? Score <= EnglishTarget : Spanish && Score >= SpanishTarget);

    public string Target => English ? "grade 8 or lower" : Spanish ? "INFLESZ 55 or more" : "none";

    /// <summary>The INFLESZ band of a Spanish score (Barrio-Cantalejo 2008); "" for English, which has no bands here.</summary>
    public string Band => !Spanish ? "" : Score switch
    {
        < 40 => "very difficult",
        < 55 => "somewhat difficult",
        < 65 => "normal",
        <= 80 => "fairly easy",
        _ => "very easy",
    };

    public string ScoreText => Format(Score);

    public string SecondaryText => Secondary is { } secondary ? Format(secondary) : "";

    /// <summary>One plain sentence for staff, e.g. "Flesch-Kincaid grade 7.4 (target: 8 or lower, met)".</summary>
    public string Summary =>
        Words == 0 ? $"No running text to score ({Language})"
        : English ? $"{Index} {ScoreText} (target: 8 or lower, {Met})"
        : Spanish ? $"{Index} {ScoreText}, {Band} (target: 55 or more, {Met}); {SecondaryIndex} {SecondaryText}"
        : $"No reading-level formula for language \"{Language}\"";

    private string Met => MeetsTarget ? "met" : "not met";

    private static string Format(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}

/// <summary>
/// Reading level of consent text, counted over its running prose only (<see cref="ResolvedConsentText.Prose"/>):
/// the title, headings and table cells are labels, not sentences, and counting them made text look easier.
/// <list type="bullet">
/// <item>English, Flesch-Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59
/// (Kincaid, Fishburne, Rogers and Chissom 1975, for the US Navy; as given in Wikipedia, "Flesch–Kincaid
/// readability tests", whose worked example the tests repeat); target grade 8 or lower.</item>
/// <item>Spanish, Szigriszt-Pazos perspicuity = 206.835 − 62.3 × syllables/words − words/sentences, read on the
/// INFLESZ scale: below 40 very difficult, 40–55 somewhat difficult, 55–65 normal, 65–80 fairly easy, above 80
/// very easy (Barrio-Cantalejo I. et al., "Validación de la Escala INFLESZ para evaluar la legibilidad de los
/// textos dirigidos a pacientes", An Sist Sanit Navar 2008; 31(2): 135-152; formula and bands as given by
/// A. Muñoz Fernández, "Escala INFLESZ", legible.es, https://legible.es/blog/ , also at
/// https://cnbguatemala.org/wiki/Legible/Escala_Inflesz). Target 55 or more ("normal").</item>
/// <item>Spanish, Fernández-Huerta lecturabilidad = 206.84 − 0.60 × P − 1.02 × F with P = syllables per 100
/// words and F = words per sentence, i.e. 206.84 − 60 × syllables/words − 1.02 × words/sentences. It is often
/// quoted with F = sentences per 100 words, but that is a known misprint: more, shorter sentences would then
/// lower the score. Corrected form: Gwillim Law, "Error in the Fernandez Huerta Readability Formula",
/// LINGUIST List 22.2332 (2011), adopted at https://legible.es/blog/lecturabilidad-fernandez-huerta/.
/// Reported alongside INFLESZ; no target of its own.</item>
/// </list>
/// A sentence ends at . ! ? or … (not after a common abbreviation such as "Dr." or an initial); a prose unit
/// (paragraph, list item, teach-back question) that ends without such punctuation is one sentence too.
/// </summary>
public static partial class ReadingLevel
{
    public const string FleschKincaid = "Flesch-Kincaid grade";
    public const string Inflesz = "INFLESZ";
    public const string FernandezHuerta = "Fernández-Huerta";

    public static ReadingLevelResult Of(ResolvedConsentText text, string language) => Of(text.Prose(), language);

    /// <summary>Scores units of running prose (paragraphs, list items) in <paramref name="language"/>.</summary>
    public static ReadingLevelResult Of(IEnumerable<string> prose, string language)
    {
        var spanish = LanguageTag.IsSpanish(language);
        var english = LanguageTag.IsEnglish(language);
        var index = spanish ? Inflesz : english ? FleschKincaid : "";
        var (words, sentences, syllables) = Count(prose, spanish ? SpanishSyllables : EnglishSyllables);
        if (words == 0 || index == "") return new ReadingLevelResult(language, index, 0, words, sentences, syllables);

        double wordsPerSentence = (double)words / sentences, syllablesPerWord = (double)syllables / words;
        if (!spanish)
            return new ReadingLevelResult(language, index, Round(0.39 * wordsPerSentence + 11.8 * syllablesPerWord - 15.59), words, sentences, syllables);
        var perspicuity = 206.835 - 62.3 * syllablesPerWord - wordsPerSentence;
        var fernandezHuerta = 206.84 - 0.60 * (100 * syllablesPerWord) - 1.02 * wordsPerSentence;
        return new ReadingLevelResult(language, index, Round(perspicuity), words, sentences, syllables, Round(fernandezHuerta));
    }

    /// <summary>Words, sentences and syllables of the prose units.</summary>
    public static (int Words, int Sentences, int Syllables) Count(IEnumerable<string> prose, Func<string, int> syllablesOf)
    {
        int words = 0, sentences = 0, syllables = 0;
        foreach (var raw in prose)
        {
            var unit = raw.Normalize(NormalizationForm.FormC).Trim();
            var unitWords = WordPattern().Matches(unit).Select(m => m.Value).ToList();
            if (unitWords.Count == 0) continue;
            words += unitWords.Count;
            syllables += unitWords.Sum(syllablesOf);
            sentences += Sentences(unit);
        }
        return (words, sentences, syllables);
    }

    /// <summary>Sentences in one prose unit: each sentence-ending mark, plus one if the unit does not end with one.</summary>
    internal static int Sentences(string unit)
    {
        var ends = SentenceEnd().Matches(unit);
        var endsWithMark = ends.Count > 0 && ends[^1].Index + ends[^1].Length == unit.Length;
        return ends.Count + (endsWithMark ? 0 : 1);
    }

    private static double Round(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Estimated English syllables: vowel groups (a e i o u y), less a silent final e, "-ed" or "-es". A word
    /// joined by hyphens counts as its parts (one-time: 2, not 3).
    /// </summary>
    internal static int EnglishSyllables(string word) =>
        word.Split('-', StringSplitOptions.RemoveEmptyEntries).Sum(EnglishPartSyllables);

    private static int EnglishPartSyllables(string part)
    {
        var w = part.ToLowerInvariant();
        if (w.Length <= 3) return 1;
        var extra = 0;
        // "-ing" after a vowel is a syllable of its own, which the vowel group hides (be-ing, go-ing, do-ing).
        if (w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 4 && IsEnglishVowel(w[^4])) extra = 1;
        // "-bles", "-dled": the plural or past of a consonant + "le" word keeps its syllable (ta-bles, han-dled).
        if ((w.EndsWith("les", StringComparison.Ordinal) || w.EndsWith("led", StringComparison.Ordinal)) && w.Length > 4 && IsSyllabicL(w[^4])) w = w[..^1];
        if (w.EndsWith("le", StringComparison.Ordinal) && IsSyllabicL(w[^3])) { }
        // A final "ed" is silent except after t or d (in-jec-ted); "es" except after a hissing sound (box-es).
        else if (w.EndsWith("ed", StringComparison.Ordinal) && w[^3] is not ('t' or 'd')) w = w[..^2];
        else if (w.EndsWith("es", StringComparison.Ordinal) && w[^3] is not ('s' or 'x' or 'z' or 'c' or 'g' or 'h')) w = w[..^2];
        // A final e is silent, also in "-le" after a vowel (whole, while, fe-male).
        else if (w.EndsWith('e')) w = w[..^1];
        return Math.Max(1, EnglishVowels().Count(w) + extra);

        static bool IsEnglishVowel(char c) => "aeiouy".Contains(c);
        // The e of "-le" is heard after most consonants (ta-ble, mus-cle), not after l, r or w (called, curled, howled).
        static bool IsSyllabicL(char before) => !IsEnglishVowel(before) && before is not ('l' or 'r' or 'w');
    }

    /// <summary>
    /// Spanish syllables from the spelling: each vowel group is one syllable (a diphthong or triphthong),
    /// except where two strong vowels (a, e, o, also accented) meet or an accented weak vowel (í, ú) stands
    /// next to another vowel: a hiatus, two syllables (le-ón, dí-a, re-ú-ne). The u of "que, qui, gue, gui"
    /// is silent (a-quí, guí-a, si-gue); ü is heard (pin-güi-no). A word joined by hyphens counts as its parts.
    /// </summary>
    internal static int SpanishSyllables(string word) =>
        word.Split('-', StringSplitOptions.RemoveEmptyEntries).Sum(SpanishPartSyllables);

    private static int SpanishPartSyllables(string part)
    {
        var w = part.ToLowerInvariant();
        var count = 0;
        var previous = ' ';
        for (var i = 0; i < w.Length; i++)
        {
            var c = w[i];
            if (c == 'u' && i > 0 && w[i - 1] is 'q' or 'g' && i + 1 < w.Length && w[i + 1] is 'e' or 'i' or 'é' or 'í')
                continue; // silent u: the next vowel starts the group
            var vowel = IsVowel(c);
            if (vowel && (!IsVowel(previous) || Hiatus(previous, c))) count++;
            previous = c;
        }
        return Math.Max(1, count);

        static bool IsVowel(char c) => "aeiouáéíóúü".Contains(c);
        static bool Strong(char c) => "aeoáéó".Contains(c);
        static bool Hiatus(char a, char b) => (Strong(a) && Strong(b)) || a is 'í' or 'ú' || b is 'í' or 'ú';
    }

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}'’-]*")]
    private static partial Regex WordPattern();

    // A run of . ! ? … (with any closing quote or bracket) before a space or the end, unless the word before the
    // full stop is a common abbreviation or a single capital (an initial): "Dr. Lee", "J. Smith", "p. ej.".
    [GeneratedRegex(@"(?<!\b(?:Dr|Dra|Drs|Mr|Mrs|Ms|Sr|Sra|Srta|St|Jr|Ud|Uds|vs|approx|aprox|e\.g|i\.e|p|ej|\p{Lu}))[.!?…]+[""'”’»)\]]*(?=\s|$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex("[aeiouy]+")]
    private static partial Regex EnglishVowels();
}
