using KneeClinic.Core.FollowUp;

namespace KneeClinic.Web.Features.Procedures;

/// <summary>
/// What each KOOS item is about, as a short topic for staff typing in the answers from the patient's paper
/// questionnaire (the questionnaire itself is the licensed instrument; this is only a reminder of its items).
/// </summary>
public static class KoosItems
{
    public static readonly IReadOnlyList<string> Topics =
    [
        // Symptoms
        "Swelling", "Grinding, clicking or other noise", "Catching or locking", "Straightening the knee fully",
        "Bending the knee fully", "Stiffness on first waking", "Stiffness after resting later in the day",
        // Pain
        "How often the knee hurts", "Twisting or pivoting", "Straightening fully", "Bending fully", "Walking on flat ground",
        "Stairs, up or down", "At night in bed", "Sitting or lying", "Standing upright",
        // Daily living
        "Going down stairs", "Going up stairs", "Rising from sitting", "Standing", "Bending to the floor",
        "Walking on flat ground", "Getting in or out of a car", "Going shopping", "Putting on socks", "Rising from bed",
        "Taking off socks", "Lying in bed", "Getting in or out of the bath", "Sitting", "Getting on or off the toilet",
        "Heavy housework", "Light housework",
        // Sport and recreation
        "Squatting", "Running", "Jumping", "Twisting or pivoting on the knee", "Kneeling",
        // Quality of life
        "How often aware of the knee problem", "Changed way of life to protect the knee", "Lack of confidence in the knee",
        "Overall difficulty with the knee",
    ];

    private static readonly string[] Severity = ["None", "Mild", "Moderate", "Severe", "Extreme"];
    private static readonly string[] Frequency = ["Never", "Rarely", "Sometimes", "Often", "Always"];

    /// <summary>
    /// The words of the paper questionnaire's five answers to an item, from 0 to 4, so a screen reader reads the answer a
    /// clinician is copying ("Sometimes") and not only its number. Items S4 and S5 ask whether the knee straightens or bends
    /// fully, so their 0 is "Always".
    /// </summary>
    public static IReadOnlyList<string> Answers(int index) => KoosAnswers.Codes[index].Code switch
    {
        "S1" or "S2" or "S3" => Frequency,
        "S4" or "S5" => ["Always", "Often", "Sometimes", "Rarely", "Never"],
        "P1" => ["Never", "Monthly", "Weekly", "Daily", "Always"],
        "Q1" => ["Never", "Monthly", "Weekly", "Daily", "Constantly"],
        "Q2" => ["Not at all", "Mildly", "Moderately", "Severely", "Totally"],
        "Q3" => ["Not at all", "Mildly", "Moderately", "Severely", "Extremely"],
        _ => Severity,
    };

    /// <summary>The accessible name of one answer: the item and the answer, "S1 Swelling: Sometimes (2)".</summary>
    public static string AnswerName(int index, int? answer) =>
        $"{KoosAnswers.Codes[index].Code} {Topics[index]}: " + (answer is { } a ? $"{Answers(index)[a]} ({a})" : "blank (not answered)");

    public static string SubscaleName(KoosSubscale subscale) => subscale switch
    {
        KoosSubscale.Symptoms => "Symptoms",
        KoosSubscale.Pain => "Pain",
        KoosSubscale.DailyLiving => "Function in daily living",
        KoosSubscale.SportRecreation => "Sport and recreation",
        KoosSubscale.QualityOfLife => "Quality of life",
    };
}
