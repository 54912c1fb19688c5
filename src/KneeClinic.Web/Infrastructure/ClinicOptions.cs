using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Documents.Consent;

namespace KneeClinic.Web.Infrastructure;

/// <summary>The clinic's own details printed on consent forms, and its consent policy (section "Clinic").</summary>
public sealed class ClinicOptions
{
    public string Name { get; set; } = "KneeClinic demo clinic";
    public string Phone { get; set; } = "(555) 010-0100";
    public string Address { get; set; } = "1 Example Way, Springfield";

    /// <summary>
    /// IANA time zone in which staff type and read dates and times (signing time, withdrawal date). Unset, the
    /// server's own zone: a clinic's server usually runs in the clinic's zone.
    /// </summary>
    public string TimeZone { get; set; } = TimeZoneInfo.Local.Id;

    public int ConsentValidityDays { get; set; } = ConsentRules.DefaultValidityDays;

    /// <summary>
    /// Days the clinic has to report a serious adverse event (to the IRB and, under an IND, the FDA), counted from the
    /// day it was known to be serious. 15 calendar days is the IND safety report's limit.
    /// </summary>
    public int SeriousEventReportingDays { get; set; } = 15;

    /// <summary>Whom to call about an injury or an urgent problem at night and at weekends; printed on every form.</summary>
    public string AfterHoursPhone { get; set; } = "(555) 010-0109";

    /// <summary>
    /// A person or office outside the treating team (a patient advocate, or the IRB under a study) for questions
    /// about the patient's rights; printed on every form.
    /// </summary>
    public string RightsContactName { get; set; } = "KneeClinic demo patient advocate";

    public string RightsContactPhone { get; set; } = "(555) 010-0108";

    /// <summary>The share of the fee given back when the clinician stops before the first step (harvest, or preparing donor cells).</summary>
    public int RefundBeforeStartPercent { get; set; } = 100;

    /// <summary>The share of the fee given back when the clinician stops after the first step but before the injection.</summary>
    public int RefundAfterStartPercent { get; set; } = 50;

    /// <summary>The cost estimate printed on the form, per cell source, in dollars; formatted in each form's language.</summary>
    public Dictionary<CellSource, CostEstimateOption> CostEstimates { get; set; } = new()
    {
        [CellSource.BoneMarrow] = new() { Low = 5000, High = 8000 },
        [CellSource.Adipose] = new() { Low = 6000, High = 9000 },
        [CellSource.UmbilicalCord] = new() { Low = 4000, High = 7000 },
    };

    /// <summary>
    /// The basis on which the clinic gives these products: <c>NoStudy</c> (not under an IND nor an IRB-approved study)
    /// or <c>Study</c> (under an IND, in the IRB-approved study described in <see cref="Study"/>). Decides what the form
    /// says on page 1.
    /// </summary>
    public string RegulatoryBasis { get; set; } = nameof(Documents.Consent.RegulatoryBasis.NoStudy);

    public StudyOptions Study { get; set; } = new();

    public bool UnderStudy => RegulatoryBasis == nameof(Documents.Consent.RegulatoryBasis.Study);

    /// <summary>The clinic's details as printed on a form.</summary>
    public ClinicDetails Details => new(Name, Phone, Address, AfterHoursPhone, RightsContactName, RightsContactPhone,
        RefundBeforeStartPercent / 100m, RefundAfterStartPercent / 100m);

    /// <summary>The study a form names; null when the clinic does not give the product under a study.</summary>
    public StudyDetails? StudyDetails => UnderStudy
        ? new(Study.Title, Study.IndNumber, Study.Sponsor, Study.IrbName, Study.IrbPhone, Study.IrbApproved, Study.IrbExpires,
            Study.ClinicalTrialsNumber, Study.Participants)
        : null;

    public Documents.Consent.RegulatoryBasis Basis => StudyDetails?.Basis ?? Documents.Consent.RegulatoryBasis.NoStudy;

    public CostRange Cost(CellSource source) => CostEstimates[source] is var c ? new CostRange(c.Low, c.High) : throw new InvalidOperationException();

    /// <summary>
    /// Sample patient data with this clinic's own details: what a template is checked against before it is published.
    /// The short form prints no cost; it gets the first cell source's.
    /// </summary>
    public ConsentRequest SampleRequest(DateTimeOffset at, string language, CellSource? source) =>
        ConsentRequest.Sample(at, language) with { Clinic = Details, Cost = Cost(source ?? CellSource.BoneMarrow), Study = StudyDetails, CellSource = source?.ToString() };

    /// <summary>The setting that gives a placeholder its value, for messages to administrators.</summary>
    public static string SettingFor(string placeholder) => placeholder switch
    {
        "study.title" => "Clinic:Study:Title",
        "study.ind_number" => "Clinic:Study:IndNumber",
        "study.sponsor" => "Clinic:Study:Sponsor",
        "study.irb_name" => "Clinic:Study:IrbName",
        "study.irb_phone" => "Clinic:Study:IrbPhone",
        "study.irb_approved" => "Clinic:Study:IrbApproved",
        "study.irb_expires" => "Clinic:Study:IrbExpires",
        "study.nct_number" => "Clinic:Study:ClinicalTrialsNumber",
        "study.participants" => "Clinic:Study:Participants",
        "clinic.after_hours_phone" => "Clinic:AfterHoursPhone",
        "rights.name" => "Clinic:RightsContactName",
        "rights.phone" => "Clinic:RightsContactPhone",
        _ => "",
    };

    /// <summary>The study settings a form under the study basis needs and that are not set (all but the ClinicalTrials.gov number).</summary>
    public IReadOnlyList<string> MissingStudySettings() => !UnderStudy ? [] :
        new (string Setting, bool Set)[]
        {
            ("Clinic:Study:Title", !string.IsNullOrWhiteSpace(Study.Title)),
            ("Clinic:Study:IndNumber", !string.IsNullOrWhiteSpace(Study.IndNumber)),
            ("Clinic:Study:Sponsor", !string.IsNullOrWhiteSpace(Study.Sponsor)),
            ("Clinic:Study:IrbName", !string.IsNullOrWhiteSpace(Study.IrbName)),
            ("Clinic:Study:IrbPhone", !string.IsNullOrWhiteSpace(Study.IrbPhone)),
            ("Clinic:Study:IrbApproved", Study.IrbApproved is not null),
            ("Clinic:Study:IrbExpires", Study.IrbExpires is not null),
            ("Clinic:Study:Participants", Study.Participants is not null),
        }.Where(s => !s.Set).Select(s => s.Setting).ToList();

    /// <summary>Why no form can be made today under the configured basis, or null.</summary>
    public string? BasisProblem(DateOnly today) =>
        MissingStudySettings() is { Count: > 0 } missing
            ? $"The clinic gives this product under a study, but the study's details are not all set: {string.Join(", ", missing)}. An administrator must set them before consent forms can be made."
        : UnderStudy && Study.IrbExpires < today
            ? $"The IRB approval of the study ended on {Study.IrbExpires:yyyy-MM-dd}. No consent form can be made until the approval is renewed and Clinic:Study:IrbExpires is updated."
        : UnderStudy && Study.IrbApproved > today
            ? $"The IRB approval of the study starts on {Study.IrbApproved:yyyy-MM-dd}. No consent form can be made before then."
        : null;

    /// <summary>
    /// The address printed in every form's QR code, e.g. https://clinic.example. Required in Production, where the app
    /// also answers requests for this host only (AllowedHosts follows it unless set to names of its own). Outside
    /// Production it may be left empty on a developer's machine: the request's address is used.
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
        // A range that ends before it starts would silently find nothing.
        if (from > to) modelState.AddModelError("To", "The end date is before the start date.");
    }

    public bool IsValid(out string problem)
    {
        problem = !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _) ? $"Clinic:TimeZone '{TimeZone}' is not a known time zone."
            : ConsentValidityDays < 1 ? "Clinic:ConsentValidityDays must be 1 or more."
            : SeriousEventReportingDays is < 1 or > 90 ? "Clinic:SeriousEventReportingDays must be between 1 and 90."
            : string.IsNullOrWhiteSpace(Name) || string.IsNullOrWhiteSpace(Phone) || string.IsNullOrWhiteSpace(Address)
                ? "Clinic:Name, Clinic:Phone and Clinic:Address are printed on every consent form and must be set."
            : string.IsNullOrWhiteSpace(AfterHoursPhone) || string.IsNullOrWhiteSpace(RightsContactName) || string.IsNullOrWhiteSpace(RightsContactPhone)
                ? "Clinic:AfterHoursPhone, Clinic:RightsContactName and Clinic:RightsContactPhone are printed on every consent form and must be set."
            : RefundBeforeStartPercent is < 0 or > 100 || RefundAfterStartPercent is < 0 or > 100
                ? "Clinic:RefundBeforeStartPercent and Clinic:RefundAfterStartPercent must be between 0 and 100."
            : Enum.GetValues<CellSource>().Any(s => CostEstimates.GetValueOrDefault(s) is not { Low: > 0 } c || c.High < c.Low)
                ? "Clinic:CostEstimates needs Low and High (in dollars, Low above 0 and High at least Low) for "
                    + string.Join(", ", Enum.GetValues<CellSource>().Select(source => source.Profile().CostKey)) + "."
            : RegulatoryBasis is not (nameof(Documents.Consent.RegulatoryBasis.NoStudy) or nameof(Documents.Consent.RegulatoryBasis.Study))
                ? $"Clinic:RegulatoryBasis '{RegulatoryBasis}' must be NoStudy (not under an IND or an IRB-approved study) or Study."
            : UnderStudy && Study.Problem() is { } studyProblem ? studyProblem
            : FollowUpVisits is { Count: > 0 } visits && (visits.Any(v => string.IsNullOrWhiteSpace(v.Label) || v.Label.Length > 32
                || v.DaysAfterInjection < 1 || v.WindowDaysBefore < 0 || v.WindowDaysAfter < 0) || visits.DistinctBy(v => v.Label).Count() != visits.Count)
                ? "Clinic:FollowUpVisits: each visit needs its own label (32 characters at most), 1 or more days after the injection, and windows of 0 days or more."
            : "";
        return problem.Length == 0;
    }

    /// <summary>
    /// What is wrong with <see cref="PublicBaseUrl"/>; null when nothing. In Production it is required, over HTTPS:
    /// the request's own Host header can be forged, and it would end up in the QR code of a permanent consent form.
    /// </summary>
    public string? PublicAddressProblem(bool production)
    {
        if (string.IsNullOrWhiteSpace(PublicBaseUrl))
            return production
                ? "Clinic:PublicBaseUrl must be set in Production: the address staff and patients use, such as https://clinic.example. "
                    + "Every consent form's QR code points there, and the app answers requests for that host only."
                : null;
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var address) || address.Scheme is not ("https" or "http")
            || address.Query.Length > 0 || address.Fragment.Length > 0 || address.UserInfo.Length > 0)
            return $"Clinic:PublicBaseUrl '{PublicBaseUrl}' must be an address such as https://clinic.example (no query, fragment or user name).";
        return production && address.Scheme != "https" ? $"Clinic:PublicBaseUrl '{PublicBaseUrl}' must start with https:// in Production." : null;
    }

    /// <summary>The host name of <see cref="PublicBaseUrl"/> (in its ASCII form), or null when it is not set.</summary>
    public string? PublicHost => Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var address) ? address.IdnHost : null;

    public sealed class Validator(IHostEnvironment environment) : Microsoft.Extensions.Options.IValidateOptions<ClinicOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ClinicOptions options) =>
            (options.IsValid(out var problem) ? options.PublicAddressProblem(environment.IsProduction()) : problem) is { } found
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail("The Clinic settings are not valid: " + found)
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}

public sealed class CostEstimateOption
{
    public decimal Low { get; set; }
    public decimal High { get; set; }
}

/// <summary>The IND and IRB-approved study the clinic's products are given under (section "Clinic:Study").</summary>
public sealed class StudyOptions
{
    public string Title { get; set; } = "";
    public string IndNumber { get; set; } = "";
    public string Sponsor { get; set; } = "";
    public string IrbName { get; set; } = "";
    public string IrbPhone { get; set; } = "";
    public DateOnly? IrbApproved { get; set; }
    public DateOnly? IrbExpires { get; set; }

    /// <summary>The ClinicalTrials.gov identifier (NCT and eight digits) where the study is an applicable clinical trial.</summary>
    public string ClinicalTrialsNumber { get; set; } = "";

    /// <summary>About how many people take part.</summary>
    public int? Participants { get; set; }

    /// <summary>What is set but malformed; unset details are reported when a form or a template needs them.</summary>
    public string? Problem() =>
        IrbApproved is { } approved && IrbExpires is { } expires && expires <= approved
            ? "Clinic:Study:IrbExpires must be after Clinic:Study:IrbApproved."
        : ClinicalTrialsNumber.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(ClinicalTrialsNumber, "^NCT[0-9]{8}$")
            ? $"Clinic:Study:ClinicalTrialsNumber '{ClinicalTrialsNumber}' must be NCT followed by eight digits."
        : Participants is < 1 ? "Clinic:Study:Participants must be 1 or more."
        : null;
}

public sealed class FollowUpVisitOption
{
    public string Label { get; set; } = "";
    public int DaysAfterInjection { get; set; }
    public int WindowDaysBefore { get; set; }
    public int WindowDaysAfter { get; set; }
}
