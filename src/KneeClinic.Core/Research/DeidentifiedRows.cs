using System.Globalization;
using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;

namespace KneeClinic.Core.Research;

/// <summary>An injected case as the research export reads it: identified here, de-identified by <see cref="DeidentifiedRows"/>.</summary>
public sealed record ResearchCase(string StudyId, DateOnly BornOn, Sex Sex, CellSource Source, KneeSide Knee, int? KlGrade,
    DateOnly InjectedOn, DateOnly? ScreenedOn, int? BaselinePain, KoosScores? BaselineKoos,
    IReadOnlyList<ResearchVisit> Visits, IReadOnlyList<ResearchEvent> Events);

public sealed record ResearchVisit(string Label, VisitStatus Status, DateOnly DueOn, DateOnly? VisitedOn, int? Pain, KoosScores? Koos);

public sealed record ResearchEvent(DateOnly OnsetOn, AdverseEventCategory Category, int CtcaeGrade, bool Serious);

/// <summary>
/// One row of the research file: a case at screening or at one follow-up visit. Nothing in it names the patient or
/// dates anything: days are counted from the injection, the injection gives only its year, an age over 89 is "90+"
/// (HIPAA Safe Harbor), and no free text is carried (notes, descriptions, reasons).
/// </summary>
public sealed record DeidentifiedRow(
    string StudyId,
    string Visit,
    int? DayFromInjection,
    string VisitStatus,
    int InjectionYear,
    string AgeAtInjection,
    string Sex,
    string CellSource,
    string Knee,
    int? KellgrenLawrence,
    int? PainNrs,
    decimal? KoosPain,
    decimal? KoosSymptoms,
    decimal? KoosDailyLiving,
    decimal? KoosSportRecreation,
    decimal? KoosQualityOfLife,
    int AdverseEventsSoFar,
    int SeriousAdverseEventsSoFar,
    int? HighestCtcaeGradeSoFar);

public static class DeidentifiedRows
{
    /// <summary>Safe Harbor: ages over 89 are grouped into one category.</summary>
    public const int OldestExactAge = 89;

    public const string Screening = "Screening";

    /// <summary>Full years between the two days.</summary>
    public static int Age(DateOnly bornOn, DateOnly on)
    {
        var age = on.Year - bornOn.Year;
        return bornOn.AddYears(age) > on ? age - 1 : age;
    }

    public static string AgeBand(int age) => age > OldestExactAge ? "90+" : age.ToString(CultureInfo.InvariantCulture);

    /// <summary>The screening row, then one row per follow-up visit in the order they were due.</summary>
    public static IEnumerable<DeidentifiedRow> For(ResearchCase c)
    {
        yield return Row(c, Screening, c.ScreenedOn is { } s ? s.DayNumber - c.InjectedOn.DayNumber : null, "Completed",
            c.BaselinePain, c.BaselineKoos, c.ScreenedOn ?? c.InjectedOn);
        foreach (var v in c.Visits.OrderBy(v => v.DueOn))
        {
            // A visit not recorded has no day of its own: its due day says where it stood in the schedule.
            var day = v.VisitedOn ?? v.DueOn;
            yield return Row(c, v.Label, day.DayNumber - c.InjectedOn.DayNumber, v.Status.ToString(), v.Pain, v.Koos, day);
        }
    }

    private static DeidentifiedRow Row(ResearchCase c, string visit, int? day, string status, int? pain, KoosScores? koos, DateOnly asOf)
    {
        var events = c.Events.Where(e => e.OnsetOn <= asOf).ToList();
        return new DeidentifiedRow(c.StudyId, visit, day, status, c.InjectedOn.Year, AgeBand(Age(c.BornOn, c.InjectedOn)),
            c.Sex.ToString(), c.Source.ToString(), c.Knee.ToString(), c.KlGrade, pain,
            koos?.Pain, koos?.Symptoms, koos?.DailyLiving, koos?.SportRecreation, koos?.QualityOfLife,
            events.Count, events.Count(e => e.Serious), events.Count == 0 ? null : events.Max(e => e.CtcaeGrade));
    }
}
