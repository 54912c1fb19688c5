using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Dashboard;

/// <summary>The groups beside the dashboard's cases, each the most urgent <see cref="DashboardController.GroupLimit"/> rows and one more.</summary>
public sealed record WorklistGroups(IReadOnlyList<OverdueVisit> Overdue, IReadOnlyList<DueVisit> DueNow, IReadOnlyList<DueVisit> DueThisWeek,
    IReadOnlyList<OpenEvent> OpenEvents, IReadOnlyList<AwaitingSignature> Awaiting)
{
    /// <summary>Whose lists, for which day, as of which change: the same text for the same lists, so their HTML can be kept too.</summary>
    public string Version { get; init; } = "";
}

/// <summary>
/// A clinician's work lists (or everyone's): visits overdue, due now and opening this week, open adverse events, and
/// printed consent forms awaiting a signature.
/// <para>
/// Each list walks an index of its dates and checks every row's case (open, and the clinician's): at 50,000 patients
/// that is 5-20 ms a list, 50 ms a dashboard, while the page of cases beside them takes under 1 ms. So the lists are
/// kept in memory per clinician and day, with the sequence number of the last change in the audit trail they were
/// read at. Every change the app saves writes that trail in the same transaction, so a request takes the last
/// change's number first (<see cref="DataChanges"/>) and reads the lists again whenever it moved: a visit recorded, an
/// event resolved or a case reassigned shows on the next dashboard of this instance, and of every other within a
/// tenth of a second.
/// A change made outside the app (a restore, an operator's SQL) shows within <see cref="MostStale"/>.
/// </para>
/// </summary>
public sealed class Worklists(ClinicDbContext db, IMemoryCache cache, IOptions<ClinicOptions> options, ClinicClock clock, DataChanges changes)
{
    /// <summary>How long lists are kept even when no change was recorded.</summary>
    public static readonly TimeSpan MostStale = TimeSpan.FromMinutes(1);

    private sealed record Kept(long? LastChange, DateOnly Today, WorklistGroups Groups);

    /// <summary>The lists of <paramref name="clinicianId"/>'s open cases, or of all open cases when null.</summary>
    public async Task<WorklistGroups> ForAsync(string? clinicianId, DateOnly today)
    {
        // Read before the lists: a change committed in between is then in the lists already, never missing from them.
        var lastChange = await changes.LastChangeAsync(db);
        var key = (typeof(Worklists), clinicianId ?? "");
        if (cache.TryGetValue(key, out Kept? kept) && kept!.LastChange == lastChange && kept.Today == today) return kept.Groups;

        var groups = await ReadAsync(clinicianId, today) with { Version = $"{clinicianId ?? "all"}|{today:yyyy-MM-dd}|{lastChange}" };
        cache.Set(key, new Kept(lastChange, today, groups), MostStale);
        return groups;
    }

    private async Task<WorklistGroups> ReadAsync(string? clinicianId, DateOnly today)
    {
        var limit = DashboardController.GroupLimit + 1;
        var cases = db.Cases.Where(Case.Open);
        if (clinicianId is not null) cases = cases.Where(c => c.AssignedClinicianId == clinicianId);

        // Each list names the open cases by the same filter (EXISTS), never by a list of ids sent back (SQLite refuses tens
        // of thousands of parameters and SQL Server more than 2,100), and reads one row more than it shows, to say when
        // there are more. Only the columns a row shows are read.
        var scheduled = db.FollowUpVisits.Where(v => v.Status == VisitStatus.Scheduled && cases.Any(c => c.Id == v.CaseId))
            .Join(db.Cases, v => v.CaseId, c => c.Id, (v, c) => new { Visit = v, c.PatientId, c.Knee })
            .Join(db.Patients, x => x.PatientId, p => p.Id, (x, p) => new VisitRow
            {
                CaseId = x.Visit.CaseId,
                PatientId = p.Id,
                VisitId = x.Visit.Id,
                FamilyName = p.FamilyName,
                GivenName = p.GivenName,
                Mrn = p.Mrn,
                Knee = x.Knee,
                Label = x.Visit.Label,
                WindowOpens = x.Visit.WindowOpens,
                WindowCloses = x.Visit.WindowCloses,
            });
        var weekAhead = today.AddDays(7);
        var overdue = await scheduled.Where(x => x.WindowCloses < today).OrderBy(x => x.WindowCloses).ThenBy(x => x.VisitId).Take(limit).ToListAsync();
        var dueNow = await scheduled.Where(x => x.WindowOpens <= today && today <= x.WindowCloses).OrderBy(x => x.WindowCloses)
            .ThenBy(x => x.VisitId).Take(limit).ToListAsync();
        // By the day the window opens: the (status, opens) index gives that order, so the query stops at the group's limit.
        var dueThisWeek = await scheduled.Where(x => today < x.WindowOpens && x.WindowOpens <= weekAhead).OrderBy(x => x.WindowOpens)
            .ThenBy(x => x.VisitId).Take(limit).ToListAsync();

        // A printed form matters until the injection; after it, an unsigned form is only a record.
        var printed = await db.ConsentDocuments
            .Where(d => d.Status == ConsentStatus.Generated && cases.Where(Case.BeforeInjection).Any(c => c.Id == d.CaseId))
            .Join(db.Cases, d => d.CaseId, c => c.Id, (d, c) => new { d.CaseId, d.DocumentNumber, d.GeneratedAt, d.Id, c.PatientId })
            .Join(db.Patients, x => x.PatientId, p => p.Id, (x, p) => new { x.CaseId, PatientId = p.Id, x.DocumentNumber, x.GeneratedAt, x.Id, p.FamilyName, p.GivenName, p.Mrn })
            .OrderBy(d => d.GeneratedAt).ThenBy(d => d.Id).Take(limit).ToListAsync();

        // (Whole events: when a report is due is the event's own rule.)
        var events = await db.AdverseEvents.AsNoTracking()
            .Where(e => (e.Outcome == AdverseEventOutcome.Ongoing || e.Outcome == AdverseEventOutcome.Unknown) && e.EnteredInErrorAt == null
                && cases.Any(c => c.Id == e.CaseId))
            .Join(db.Cases, e => e.CaseId, c => c.Id, (e, c) => new { Event = e, c.PatientId })
            .Join(db.Patients, x => x.PatientId, p => p.Id, (x, p) => new { x.Event, PatientId = p.Id, p.FamilyName, p.GivenName, p.Mrn })
            .OrderByDescending(e => e.Event.Serious != SeriousCriteria.None).ThenBy(e => e.Event.OnsetOn).ThenBy(e => e.Event.Id)
            .Take(limit).ToListAsync();

        static string Name(string family, string given) => Patient.ListName(family, given);
        var reportingDays = options.Value.SeriousEventReportingDays;
        return new WorklistGroups(
            [.. overdue.Select(x => new OverdueVisit(x.CaseId, x.PatientId, x.VisitId, x.Patient, x.Mrn, x.Knee, x.Label, x.WindowCloses))],
            [.. dueNow.Select(x => x.Due())],
            [.. dueThisWeek.Select(x => x.Due())],
            [.. events.Select(e => new OpenEvent(e.Event.CaseId, e.PatientId, e.Event.Id, Name(e.FamilyName, e.GivenName), e.Mrn, e.Event.OnsetOn, e.Event.Category,
                e.Event.CtcaeGrade, e.Event.IsSerious, e.Event.ReportDueOn(reportingDays, clock.DateOf)))],
            [.. printed.Select(d => new AwaitingSignature(d.CaseId, d.PatientId, Name(d.FamilyName, d.GivenName), d.Mrn, d.DocumentNumber, d.GeneratedAt))]);
    }

    /// <summary>A scheduled visit as the lists read it (a class with settable members: EF Core composes filters on it).</summary>
    private sealed class VisitRow
    {
        public Guid CaseId { get; init; }
        public Guid PatientId { get; init; }
        public Guid VisitId { get; init; }
        public string FamilyName { get; init; } = "";
        public string GivenName { get; init; } = "";
        public Mrn Mrn { get; init; }
        public KneeSide Knee { get; init; }
        public string Label { get; init; } = "";
        public DateOnly WindowOpens { get; init; }
        public DateOnly WindowCloses { get; init; }

        public string Patient => Core.Patients.Patient.ListName(FamilyName, GivenName);

        public DueVisit Due() => new(CaseId, PatientId, VisitId, Patient, Mrn, Knee, Label, WindowOpens, WindowCloses);
    }
}
