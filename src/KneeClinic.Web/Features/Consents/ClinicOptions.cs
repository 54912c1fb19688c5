using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;

namespace KneeClinic.Web.Features.Consents;

/// <summary>The clinic's own details printed on consent forms, and its consent policy (section "Clinic").</summary>
public sealed class ClinicOptions
{
    public string Name { get; set; } = "KneeClinic demo clinic";
    public string Phone { get; set; } = "(555) 010-0100";
    public string Address { get; set; } = "1 Example Way, Springfield";

    /// <summary>IANA time zone in which staff type dates and times (signing time, withdrawal date).</summary>
    public string TimeZone { get; set; } = "UTC";

    public int ConsentValidityDays { get; set; } = ConsentRules.DefaultValidityDays;

    /// <summary>The cost estimate printed on the form, per cell source.</summary>
    public Dictionary<CellSource, string> CostEstimates { get; set; } = new()
    {
        [CellSource.BoneMarrow] = "$5,000 to $8,000",
        [CellSource.Adipose] = "$6,000 to $9,000",
        [CellSource.UmbilicalCord] = "$4,000 to $7,000",
    };

    /// <summary>
    /// The address printed in every form's QR code, e.g. https://clinic.example. Empty: taken from the request,
    /// which behind a proxy may be an internal name, so production sets it.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The folder of template files imported at start; empty: templates/consent found above the content root.</summary>
    public string TemplateDirectory { get; set; } = "";

    /// <summary>
    /// The follow-up visits an injection schedules (Clinic:FollowUpVisits:0:Label, ...:DaysAfterInjection,
    /// ...:WindowDaysBefore, ...:WindowDaysAfter). Unset: 2 weeks, 6 weeks, 3, 6 and 12 months.
    /// </summary>
    public List<FollowUpVisitOption>? FollowUpVisits { get; set; }

    public FollowUpSchedule Schedule => FollowUpVisits is { Count: > 0 } visits
        ? new FollowUpSchedule([.. visits.Select(v => new ScheduledVisit(v.Label, v.DaysAfterInjection, v.WindowDaysBefore, v.WindowDaysAfter))])
        : FollowUpSchedule.Default;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>Dates staff may type; outside them a conversion to UTC could overflow.</summary>
    public static readonly DateTime Earliest = new(1900, 1, 1), Latest = new(2200, 1, 1);

    /// <summary>Refuses the From and To dates of a list filter that lie outside the dates staff may type.</summary>
    public static void CheckFilterDates(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState, DateOnly? from, DateOnly? to)
    {
        foreach (var (name, date) in new[] { ("From", from), ("To", to) })
        {
            if (date is { } d && (d.ToDateTime(TimeOnly.MinValue) < Earliest || d.ToDateTime(TimeOnly.MinValue) >= Latest))
                modelState.AddModelError(name, "Choose a date between 1900 and 2199.");
        }
    }

    public bool IsValid(out string problem)
    {
        problem = !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _) ? $"Clinic:TimeZone '{TimeZone}' is not a known time zone."
            : ConsentValidityDays < 1 ? "Clinic:ConsentValidityDays must be 1 or more."
            : string.IsNullOrWhiteSpace(Name) || string.IsNullOrWhiteSpace(Phone) || string.IsNullOrWhiteSpace(Address)
                ? "Clinic:Name, Clinic:Phone and Clinic:Address are printed on every consent form and must be set."
            : FollowUpVisits is { Count: > 0 } visits && (visits.Any(v => string.IsNullOrWhiteSpace(v.Label) || v.Label.Length > 32
                || v.DaysAfterInjection < 1 || v.WindowDaysBefore < 0 || v.WindowDaysAfter < 0) || visits.DistinctBy(v => v.Label).Count() != visits.Count)
                ? "Clinic:FollowUpVisits: each visit needs its own label (32 characters at most), 1 or more days after the injection, and windows of 0 days or more."
            : "";
        return problem.Length == 0;
    }

    public DateTimeOffset ToUtc(DateTime local) =>
        new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified))).ToUniversalTime();

    public DateTime ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone).DateTime;

    /// <summary>The calendar day at the clinic.</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToLocal(clock.GetUtcNow()));
}

public sealed class FollowUpVisitOption
{
    public string Label { get; set; } = "";
    public int DaysAfterInjection { get; set; }
    public int WindowDaysBefore { get; set; }
    public int WindowDaysAfter { get; set; }
}
