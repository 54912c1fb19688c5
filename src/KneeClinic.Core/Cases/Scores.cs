using System.Globalization;

namespace KneeClinic.Core.Cases;

/// <summary>Knee pain on the 0-10 numeric rating scale: 0 is no pain, 10 the worst imaginable.</summary>
public readonly record struct PainScore
{
    public const int Min = 0, Max = 10;

    private PainScore(int value) => Value = value;

    public int Value { get; }

    /// <summary>The score, or null for a number off the scale.</summary>
    public static PainScore? From(int value) => value is >= Min and <= Max ? new PainScore(value) : null;

    /// <summary>A score known to be on the scale (as stored); a number off it is a programming error.</summary>
    public static PainScore Of(int value) => From(value) ?? throw new ArgumentOutOfRangeException(nameof(value), value, "Pain is scored from 0 to 10.");

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The Kellgren-Lawrence grade of knee osteoarthritis on an X-ray: 0 (none) to 4 (severe).</summary>
public readonly record struct KlGrade
{
    public const int Min = 0, Max = 4;

    private KlGrade(int value) => Value = value;

    public int Value { get; }

    /// <summary>Grade 4: bone on bone, where cell injections are not expected to help.</summary>
    public bool IsEndStage => Value == Max;

    /// <summary>The grade, or null for a number outside 0-4.</summary>
    public static KlGrade? From(int value) => value is >= Min and <= Max ? new KlGrade(value) : null;

    /// <summary>A grade known to be in range (as stored, or checked by the form); a number outside it is a programming error.</summary>
    public static KlGrade Of(int value) => From(value) ?? throw new ArgumentOutOfRangeException(nameof(value), value, "The Kellgren-Lawrence grade runs from 0 to 4.");

    /// <summary>An optional grade known to be in range (a form's field, checked by its range).</summary>
    public static KlGrade? Of(int? value) => value is { } grade ? Of(grade) : null;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
