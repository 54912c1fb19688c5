namespace KneeClinic.Core.Cases;

/// <summary>Knee pain on the 0-10 numeric rating scale: 0 is no pain, 10 the worst imaginable.</summary>
public static class PainScore
{
    public const int Min = 0, Max = 10;

    public static bool IsValid(int score) => score is >= Min and <= Max;
}

/// <summary>The Kellgren-Lawrence grade of knee osteoarthritis on an X-ray: 0 (none) to 4 (severe).</summary>
public static class KlGrade
{
    public const int Min = 0, Max = 4;

    public static bool IsValid(int grade) => grade is >= Min and <= Max;
}
