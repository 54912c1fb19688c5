namespace KneeClinic.Core.FollowUp;

public enum KoosSubscale
{
    Symptoms,
    Pain,
    DailyLiving,
    SportRecreation,
    QualityOfLife,
}

/// <summary>
/// The answers to the 42 KOOS items, in questionnaire order (Symptoms S1-S7, Pain P1-P9, daily living A1-A17,
/// sport and recreation SP1-SP5, quality of life Q1-Q4). Each answer is 0 (no problems) to 4 (extreme), or
/// null when the patient left it blank.
/// </summary>
public sealed class KoosAnswers
{
    public const int ItemCount = 42;

    /// <summary>Points on a subscale that count as a change the patient notices (DOMAIN: roughly 12 to 18).</summary>
    public const decimal MinimalImportantChange = 15;

    /// <summary>More blanks than this in one subscale and the KOOS guide says not to score it.</summary>
    public const int MaxMissingPerSubscale = 2;

    private static readonly (KoosSubscale Subscale, string Prefix, int Count)[] Layout =
    [
        (KoosSubscale.Symptoms, "S", 7), (KoosSubscale.Pain, "P", 9), (KoosSubscale.DailyLiving, "A", 17),
        (KoosSubscale.SportRecreation, "SP", 5), (KoosSubscale.QualityOfLife, "Q", 4),
    ];

    private readonly int?[] _items;

    public KoosAnswers(IReadOnlyList<int?> items)
    {
        if (items.Count != ItemCount) throw new ArgumentException($"KOOS has {ItemCount} items, not {items.Count}.", nameof(items));
        if (items.Any(i => i is < 0 or > 4)) throw new ArgumentOutOfRangeException(nameof(items), "KOOS answers run from 0 to 4.");
        _items = [.. items];
    }

    public IReadOnlyList<int?> Items => _items;

    /// <summary>The item codes in order: S1 ... Q4.</summary>
    public static IReadOnlyList<(string Code, KoosSubscale Subscale)> Codes { get; } =
        [.. Layout.SelectMany(l => Enumerable.Range(1, l.Count).Select(n => ($"{l.Prefix}{n}", l.Subscale)))];

    /// <summary>
    /// Each subscale is 100 - (mean item score x 25), so 100 means no problems. Blanks are filled with the mean
    /// of the subscale's answered items, which leaves the mean unchanged; a subscale with more than two blanks
    /// is not scored.
    /// </summary>
    public KoosScores Score() => new(
        Subscale(KoosSubscale.Pain), Subscale(KoosSubscale.Symptoms), Subscale(KoosSubscale.DailyLiving),
        Subscale(KoosSubscale.SportRecreation), Subscale(KoosSubscale.QualityOfLife));

    public decimal? Subscale(KoosSubscale subscale)
    {
        var items = _items.Where((_, i) => Codes[i].Subscale == subscale).ToList();
        var answered = items.OfType<int>().Select(a => (decimal)a).ToList();
        if (items.Count - answered.Count > MaxMissingPerSubscale) return null;
        return Math.Round(100 - answered.Average() * 25, 2);
    }

    /// <summary>Stored as 42 characters: a digit per answer, "." for a blank.</summary>
    public override string ToString() => string.Concat(_items.Select(i => i is { } v ? (char)('0' + v) : '.'));

    public static KoosAnswers Parse(string stored) =>
        new([.. stored.Select(c => c == '.' ? (int?)null : c - '0')]);
}

/// <summary>The five KOOS subscales, each 0-100 where 100 means no problems; null where too few items were answered.</summary>
public sealed record KoosScores(decimal? Pain, decimal? Symptoms, decimal? DailyLiving, decimal? SportRecreation, decimal? QualityOfLife)
{
    public decimal? this[KoosSubscale subscale] => subscale switch
    {
        KoosSubscale.Pain => Pain,
        KoosSubscale.Symptoms => Symptoms,
        KoosSubscale.DailyLiving => DailyLiving,
        KoosSubscale.SportRecreation => SportRecreation,
        KoosSubscale.QualityOfLife => QualityOfLife,
    };
}
