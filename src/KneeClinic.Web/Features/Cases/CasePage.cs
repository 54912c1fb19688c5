using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Consents;
using KneeClinic.Web.Features.Procedures;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Cases;

/// <summary>Everything the case page shows, with the forms it holds (re-filled with what was posted when one fails).</summary>
public sealed class CasePage
{
    public required Case Case { get; init; }
    public required string PatientName { get; init; }
    public required Mrn PatientMrn { get; init; }
    public required DateOnly PatientDateOfBirth { get; init; }
    /// <summary>Every staff account, by id, for the names of those the page mentions.</summary>
    public required IReadOnlyDictionary<string, StaffMember> Staff { get; init; }
    public required IReadOnlyList<TimelineStep> Timeline { get; init; }

    /// <summary>The step page shown; none on the overview.</summary>
    public CaseStep? Step { get; set; }

    /// <summary>The page where the next step is done, for the one "next step" button.</summary>
    public CaseStep? NextStep => CaseSteps.ForNext(Case, CurrentProduct, Now);

    public CheckupForm Checkup { get; set; } = new();
    public MedicationForm Medication { get; set; } = new();
    public ImagingForm Imaging { get; set; } = new();
    public DecisionForm Decision { get; set; } = new();
    public CloseCaseForm Close { get; set; } = new();
    public HarvestForm Harvest { get; set; } = new();
    public ReceiptForm Receipt { get; set; } = new();
    public ProcessingForm Processing { get; set; } = new();
    public TimeOutForm TimeOut { get; set; } = new();
    public InjectionForm Injection { get; set; } = new();
    public DiscardForm Discard { get; set; } = new();
    public AdverseEventForm AdverseEvent { get; set; } = new();

    /// <summary>Every product obtained for the case, oldest first; rejected ones stay on record.</summary>
    public IReadOnlyList<CellProduct> Products { get; init; } = [];
    public CellProduct? CurrentProduct => CellProduct.Current(Products);
    public Injection? Done { get; init; }
    public IReadOnlyList<FollowUpVisit> Visits { get; init; } = [];
    public IReadOnlyList<AdverseEvent> AdverseEvents { get; init; } = [];
    public IReadOnlyList<OutcomeTrend> Outcomes { get; init; } = [];

    /// <summary>The day a serious event must be reported by, under the clinic's reporting period.</summary>
    public DateOnly? ReportDue(AdverseEvent e) => e.ReportDueOn(Clinic.SeriousEventReportingDays, Clock.DateOf);

    /// <summary>Active clinicians, for choosing an operator or a second verifier.</summary>
    public IReadOnlyList<SelectListItem> Clinicians { get; init; } = [];
    public required ClinicOptions Clinic { get; init; }
    public required DateOnly Today { get; init; }
    public required DateTimeOffset Now { get; init; }

    public required ClinicClock Clock { get; init; }

    public DateTime Local(DateTimeOffset utc) => Clock.ToLocal(utc);

    public IReadOnlyList<Consents.ConsentRow> Consents { get; init; } = [];

    /// <summary>Languages with a published template for this case's cell source.</summary>
    public IReadOnlyList<ConsentLanguage> ConsentLanguages { get; init; } = [];

    /// <summary>The languages of the published short forms, for patients who read neither language of the written form.</summary>
    public IReadOnlyList<ConsentLanguage> ShortFormLanguages { get; init; } = [];

    public string StaffName(string? id) => id is not null && Staff.TryGetValue(id, out var member) ? member.DisplayName : "—";

    public static async Task<CasePage?> LoadAsync(ClinicDbContext db, ReferenceData reference, Guid id, ClinicOptions clinic, ClinicClock clock)
    {
        var now = clock.Now;
        var today = clock.Today;
        var found = await db.Cases.AsNoTracking()
            .Where(c => c.Id == id)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new { Case = c, p.GivenName, p.FamilyName, p.Mrn, p.DateOfBirth })
            .FirstOrDefaultAsync();
        if (found is null) return null;

        var c = found.Case;
        var products = await db.CellProducts.AsNoTracking().Where(p => p.CaseId == id).ToListAsync();
        products = [.. products.OrderBy(p => p.ObtainedAt)];
        var injection = await db.Injections.AsNoTracking().FirstOrDefaultAsync(i => i.CaseId == id);
        var visits = await db.FollowUpVisits.AsNoTracking().Where(v => v.CaseId == id).OrderBy(v => v.DueOn).ToListAsync();
        var events = await db.AdverseEvents.AsNoTracking().Where(e => e.CaseId == id).OrderByDescending(e => e.OnsetOn).ToListAsync();

        // The names of the staff the page mentions and the active clinicians it offers as operator or verifier, and the
        // languages of the published written forms for this case's cell source and of the published short forms: kept
        // in memory until something changes.
        var staff = await reference.StaffAsync(db);
        var clinicians = await ActiveCliniciansAsync(db, reference);
        var s = c.Screening;
        var published = await reference.PublishedFormsAsync(db);
        var languages = published.Where(x => x.CellSource == c.CellSource).Select(x => x.Language).Distinct().Order().ToList();
        var shortFormLanguages = published.Where(x => x.Kind == Core.Consent.TemplateKind.ShortForm).Select(x => x.Language).Distinct().Order().ToList();
        DateOnly Day(DateTimeOffset at) => clock.DateOf(at);
        return new CasePage
        {
            Clinic = clinic,
            Clock = clock,
            Today = today,
            Now = now,
            Products = products,
            Done = injection,
            Visits = visits,
            AdverseEvents = events,
            Clinicians = clinicians,
            Outcomes =
            [
                Core.FollowUp.Outcomes.Pain(c.Screening, visits, Day),
                .. Enum.GetValues<KoosSubscale>().Select(k => Core.FollowUp.Outcomes.Koos(k, "KOOS " + KoosItems.SubscaleName(k).ToLowerInvariant(), c.Screening, visits, Day)),
            ],
            Consents = await Features.Consents.ConsentRows.ForCaseAsync(db, id),
            ConsentLanguages = languages,
            ShortFormLanguages = shortFormLanguages,
            Case = c,
            PatientName = Patient.ListName(found.FamilyName, found.GivenName),
            PatientMrn = found.Mrn,
            PatientDateOfBirth = found.DateOfBirth,
            Staff = staff,
            Timeline = Stages.Timeline(c.Stage, c.CellSource),
            Checkup = new CheckupForm
            {
                Version = c.Version,
                CheckupDate = s.CheckupDate,
                MedicalHistory = s.MedicalHistory,
                Notes = s.CheckupNotes,
                BaselinePainNrs = s.BaselinePainNrs?.Value,
                Present = s.Contraindications.Select(x => x.Kind).ToList(),
                ContraindicationNotes = s.Contraindications.ToDictionary(x => x.Kind, x => x.Notes),
            },
            Medication = new MedicationForm { Version = c.Version },
            Imaging = new ImagingForm { Version = c.Version },
            Decision = new DecisionForm { Version = c.Version, Outcome = s.Decision, Reason = s.DecisionReason },
            Close = new CloseCaseForm { Version = c.Version },
            Harvest = new HarvestForm { Version = c.Version },
            Receipt = new ReceiptForm { Version = c.Version },
            Processing = new ProcessingForm { Version = c.Version },
            TimeOut = new TimeOutForm { Version = c.Version },
            Injection = new InjectionForm { Version = c.Version, PerformedAt = ToTheMinute(clock.ToLocal(now)) },
            Discard = new DiscardForm { Version = c.Version },
            AdverseEvent = new AdverseEventForm { Version = c.Version },
        };
    }

    private static DateTime ToTheMinute(DateTime local) => local.AddTicks(-(local.Ticks % TimeSpan.TicksPerMinute));

    public static async Task<List<SelectListItem>> ActiveCliniciansAsync(ClinicDbContext db, ReferenceData reference) =>
        [.. (await reference.ActiveCliniciansAsync(db)).Select(u => new SelectListItem(u.DisplayName, u.Id))];

    /// <summary>What the clinician should do next on this case.</summary>
    public string NextAction => Case.Stage is CaseStage.Consented or CaseStage.ProductObtained or CaseStage.ProductReleased
        && Consents.Where(x => x.SignedAt is not null).MaxBy(x => x.SignedAt)?.Status == Core.Consent.ConsentStatus.Withdrawn
            ? "Nothing: the patient withdrew consent. No procedure can be recorded unless they sign a new consent form."
        : Case.Stage == CaseStage.ProductReleased && CurrentProduct?.Processing?.UseBy < Now
            ? "The product is past its use-by time: discard it and record a new " + (Case.CellSource.IsAutologous() ? "harvest." : "receipt.")
        : Next(Case, Consents.Any(x => x.Status == Core.Consent.ConsentStatus.Generated), Visits, Today);

    /// <summary>The next step of a case, as the case page and the dashboard show it.</summary>
    public static string Next(Case c, bool consentAwaitingSignature, IEnumerable<FollowUpVisit> visits, DateOnly today) =>
        Next(new CaseState(c.Stage, c.CellSource, c.Screening.CheckupDate is not null, c.Screening.Imaging.Count > 0, consentAwaitingSignature,
            visits.Where(v => v.Status == VisitStatus.Scheduled).OrderBy(v => v.DueOn)
                .Select(v => new NextVisit(v.Label, v.DueOn, v.WindowOpens, v.WindowCloses)).FirstOrDefault()), today);

    /// <summary>The next step from what a list reads of a case: its stage and the few facts the step depends on.</summary>
    public static string Next(CaseState c, DateOnly today) => c.Stage switch
    {
        CaseStage.Screening when !c.HasCheckup => "Record the check-up.",
        CaseStage.Screening when !c.HasImaging => "Record the imaging.",
        CaseStage.Screening => "Decide eligibility.",
        CaseStage.Eligible when c.ConsentAwaitingSignature =>
            "Have the patient read and sign the printed consent form, then record the signature.",
        CaseStage.Eligible => "Generate the consent form and have the patient sign it.",
        CaseStage.Consented => c.CellSource.IsAutologous() ? "Record the harvest." : "Record the receipt of the donor product.",
        CaseStage.ProductObtained => c.CellSource.IsAutologous()
            ? "Record the processing and the release decision."
            : "Record the thaw and preparation and the release decision.",
        CaseStage.ProductReleased => "Inject the released product under ultrasound guidance and record it.",
        CaseStage.Injected or CaseStage.FollowUp => c.NextVisit is { } visit
            ? today > visit.WindowCloses
                ? $"The {visit.Label} visit is overdue (window closed {visit.WindowCloses:d MMM yyyy}): record it or mark it missed."
                : $"Follow-up: the {visit.Label} visit is due {visit.DueOn:d MMM yyyy} (window {visit.WindowOpens:d MMM} to {visit.WindowCloses:d MMM yyyy})."
            : "Record the follow-up visits.",
        CaseStage.NotEligible => "Nothing: the patient is not eligible. Close the case, or update the screening if things change.",
        CaseStage.Completed => "Nothing: every follow-up visit is done.",
        CaseStage.Closed => "Nothing: the case is closed.",
    };

    /// <summary>What happened on the case, newest first, from its own records.</summary>
    public IReadOnlyList<(DateTimeOffset At, string What)> History
    {
        get
        {
            var own = Case.CellSource.IsAutologous();
            var s = Case.Screening;
            var events = new List<(DateTimeOffset, string)> { (Case.OpenedAt, $"Case opened for the {Case.Knee.ToString().ToLowerInvariant()} knee") };
            if (s.DecidedAt is { } decided && s.Decision is { } outcome) events.Add((decided, $"Eligibility: {outcome.Label().ToLowerInvariant()}, by {StaffName(s.DecidedById)}"));
            foreach (var d in Consents)
            {
                events.Add((d.GeneratedAt, $"Consent form {d.DocumentNumber} printed ({d.Language.Name})"));
                if (d.SignedAt is { } signed) events.Add((signed, $"Consent form {d.DocumentNumber} signed"));
            }
            foreach (var p in Products)
            {
                if (p.Harvest is { } h) events.Add((h.EndedAt, $"Harvest by {StaffName(h.OperatorId)}"));
                if (p.Receipt is { } r) events.Add((r.ReceivedAt, $"Donor product received by {StaffName(r.ReceivedById)}"));
                if (p.Processing is { } x) events.Add((x.DecidedAt, (own ? "Processing" : "Thaw and preparation")
                    + $": product {(x.Release == Core.Procedures.ReleaseDecision.Released ? "released" : "rejected")}, verified by {StaffName(x.VerifierId)}"));
                if (p.TimeOutAt is { } timeOut) events.Add((timeOut, $"Pre-injection time-out by {StaffName(p.TimeOutById)}"));
                if (p.DiscardedAt is { } discarded) events.Add((discarded, $"Product discarded: {p.DiscardReason}"));
            }
            if (Done is { } i) events.Add((i.PerformedAt, $"Injection into the {i.Knee.ToString().ToLowerInvariant()} knee by {StaffName(i.ClinicianId)}"));
            foreach (var v in Visits.Where(v => v.VisitedAt is not null)) events.Add((v.VisitedAt!.Value, $"{v.Label} follow-up visit"));
            foreach (var e in AdverseEvents) events.Add((e.ReportedAt, $"Adverse event reported (grade {e.CtcaeGrade}{(e.IsSerious ? ", serious" : "")})"));
            if (Case.ClosedAt is { } closed) events.Add((closed, "Case closed"));
            return [.. events.OrderByDescending(e => e.Item1)];
        }
    }

    public IReadOnlySet<Contraindication> PresentContraindications => Case.Screening.PresentContraindications();
}

/// <summary>What the next step of a case depends on, as a list reads it without loading the case.</summary>
public sealed record CaseState(CaseStage Stage, CellSource CellSource, bool HasCheckup, bool HasImaging, bool ConsentAwaitingSignature, NextVisit? NextVisit);

/// <summary>A case's next scheduled follow-up visit.</summary>
public sealed record NextVisit(string Label, DateOnly DueOn, DateOnly WindowOpens, DateOnly WindowCloses);
