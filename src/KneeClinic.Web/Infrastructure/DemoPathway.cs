using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Screening;
using KneeClinic.Web.Features.Consents;

namespace KneeClinic.Web.Infrastructure;

/// <summary>A clock stopped at one instant: each step of a demo case happens at its own time in the past.</summary>
public sealed class StoppedClock(DateTimeOffset at) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => at;
}

/// <summary>
/// The steps of the pathway as demo data takes them: each one a call to the case's own rule, on a clock stopped at the
/// moment the step happened, so demo cases are only ever in states the app itself can reach. Nothing here saves: the
/// start-up demo (<see cref="DemoData"/>) and the bulk generator (<see cref="SeedDemoCommand"/>) save in their own way,
/// and each brings how a consent form is printed and how the consent terms are found.
/// </summary>
public sealed class DemoPathway(ClinicClock today, ClinicOptions clinic, Func<Case, Task<ConsentTerms>> terms)
{
    public ClinicClock Today => today;

    public ClinicClock At(DateTimeOffset at) => new(new StoppedClock(at), today.Zone);

    /// <summary>A time in the clinic's zone, <paramref name="daysAgo"/> days back, at <paramref name="hour"/>.</summary>
    public DateTimeOffset DaysAgo(int daysAgo, int hour = 9) =>
        today.ToUtc(today.Today.AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, 0)));

    public DateOnly Day(int daysAgo) => today.Today.AddDays(-daysAgo);

    /// <summary>A case opened <paramref name="daysAgo"/> days back, with its check-up, X-ray and baseline KOOS of that day, not yet decided.</summary>
    public Case Opened(Guid patientId, KneeSide knee, CellSource source, int klGrade, int baselinePain, KoosAnswers baselineKoos,
        string clinicianId, int daysAgo)
    {
        var @case = new Case(patientId, knee, source, KlGrade.Of(klGrade), clinicianId, DaysAgo(daysAgo));
        var on = Day(daysAgo);
        Check(@case.RecordCheckup(on, "Knee pain for several years; physiotherapy and weight loss helped a little.", null, baselinePain, [], on));
        Check(@case.AddImaging(new ImagingStudy(ImagingModality.XRay, on.AddDays(-14), "Medial joint-space narrowing, small osteophytes.", KlGrade.Of(klGrade)), on));
        Check(@case.RecordBaselineKoos(baselineKoos));
        return @case;
    }

    /// <summary>Check-up, X-ray and baseline KOOS on the day; the decision half an hour later (eligible unless a reason is given).</summary>
    public Case Screened(Guid patientId, KneeSide knee, CellSource source, int klGrade, int baselinePain, KoosAnswers baselineKoos,
        string clinicianId, int daysAgo, string? notEligibleReason = null)
    {
        var at = DaysAgo(daysAgo);
        var @case = Opened(patientId, knee, source, klGrade, baselinePain, baselineKoos, clinicianId, daysAgo);
        Check(notEligibleReason is null
            ? @case.DecideEligibility(EligibilityOutcome.Eligible, null, clinicianId, at.AddMinutes(30))
            : @case.DecideEligibility(EligibilityOutcome.NotEligible, notEligibleReason, clinicianId, at.AddMinutes(30)));
        return @case;
    }

    /// <summary>The patient signs the form printed last, half an hour after <paramref name="printedAt"/>; <paramref name="scan"/> stands for the scan.</summary>
    public async Task SignAsync(Case @case, DateTimeOffset printedAt, string witnessedById, StoredScan scan)
    {
        var document = @case.ConsentDocuments[^1];
        var signedAt = printedAt.AddMinutes(30);
        Check(@case.RecordSignature(document.Id, new ConsentSignature(signedAt, witnessedById, "Demo Witness", null, null, true,
            scan.FileName, scan.ContentType, scan.Sha256, signedAt.AddMinutes(5)), await terms(@case), signedAt.AddMinutes(5)));
    }

    /// <summary>The harvest (the patient's own cells) or the receipt from the cord bank.</summary>
    public async Task ObtainAsync(Case @case, DateTimeOffset at, string clinicianId)
    {
        var consent = await terms(@case);
        Check(@case.CellSource.IsAutologous()
            ? @case.RecordHarvest(new HarvestRecord(at, at.AddMinutes(40), @case.CellSource == CellSource.Adipose ? "Lower abdomen" : "Right posterior iliac crest",
                @case.CellSource == CellSource.Adipose ? 120 : 60, "Local, lidocaine 1%", "ACD-A 4411", today.Today.AddMonths(6), clinicianId, null), consent, At(at.AddHours(1)))
            : @case.RecordReceipt(new ProductReceipt("Demo Cord Bank", "UC-LOT-7781", DateOnly.FromDateTime(at.UtcDateTime).AddMonths(3), "DER-DEMO-0042",
                clinicianId, at, "LN2 dewar 2"), consent, At(at.AddMinutes(10))));
    }

    /// <summary>Processing by <paramref name="clinicianId"/>, checked by <paramref name="verifierId"/>, and released.</summary>
    public async Task ProcessAsync(Case @case, DateTimeOffset at, string clinicianId, string verifierId) =>
        Check(@case.RecordProcessing(new ProcessingRecord(@case.CellSource.IsAutologous() ? "Density-gradient concentration" : "Thaw and wash",
            "Cell separator CS-200", "KIT-5521", DateOnly.FromDateTime(at.UtcDateTime).AddMonths(2), at, at.AddMinutes(50), 4.0m, 1.2e9m, 93.5m,
            clinicianId, verifierId, ReleaseDecision.Released, at.AddMinutes(55), at.AddHours(6)), await terms(@case), At(at.AddHours(1))));

    /// <summary>Obtained at 8, processed at 9, the time-out and the injection at 11 on the morning <paramref name="daysAgo"/> days back.</summary>
    public async Task InjectAsync(Case @case, int daysAgo, string clinicianId, string verifierId)
    {
        var morning = DaysAgo(daysAgo, 8);
        await ObtainAsync(@case, morning, clinicianId);
        await ProcessAsync(@case, morning.AddHours(1), clinicianId, verifierId);
        var product = @case.Products[^1].ProductCode;
        var needle = morning.AddHours(3);
        Check(@case.ConfirmTimeOut(new TimeOutCheck(product, @case.Knee, true, true, clinicianId), await terms(@case), At(needle.AddMinutes(-5))));
        Check(@case.RecordInjection(new InjectionEntry(product, @case.Knee, true, 3.5m, "Superolateral", clinicianId, needle, null, true),
            await terms(@case), clinic.Schedule, At(needle.AddMinutes(20))));
    }

    /// <summary>A visit on the day it was due, at 10, with pain and KOOS.</summary>
    public async Task VisitAsync(FollowUpVisit visit, Case @case, string clinicianId, int pain, KoosAnswers koos, string notes = "Walking further; no swelling.")
    {
        var at = today.ToUtc(visit.DueOn.ToDateTime(new TimeOnly(10, 0)));
        Check(@case.RecordVisit(visit.Id, new VisitEntry(at, clinicianId, pain, koos, RehabilitationStage.EarlyRehabilitation, notes),
            await terms(@case), At(at.AddMinutes(30))));
    }

    public static KoosAnswers Koos(int every) => new([.. Enumerable.Repeat<int?>(every, KoosAnswers.ItemCount)]);

    public static void Check(RuleViolation? violation)
    {
        if (violation is not null) throw new InvalidOperationException($"Demo data broke a rule: {violation.Message}");
    }
}
