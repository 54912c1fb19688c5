using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Cases;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Dashboard;

public sealed record CaseLine(Guid CaseId, string Patient, Mrn Mrn, KneeSide Knee, CellSource Source, CaseStage Stage, string NextAction);

public sealed record OverdueVisit(Guid CaseId, Guid VisitId, string Patient, Mrn Mrn, KneeSide Knee, string Visit, DateOnly WindowCloses);

public sealed record OpenEvent(Guid CaseId, Guid EventId, string Patient, Mrn Mrn, DateOnly OnsetOn, AdverseEventCategory Category, int Grade, bool Serious,
    DateOnly? ReportDueOn);

/// <summary>A scheduled visit whose window is open now, or opens within the week.</summary>
public sealed record DueVisit(Guid CaseId, Guid VisitId, string Patient, Mrn Mrn, KneeSide Knee, string Visit, DateOnly WindowOpens, DateOnly WindowCloses);

public sealed record AwaitingSignature(Guid CaseId, string Patient, Mrn Mrn, string DocumentNumber, DateTimeOffset PrintedAt);

public sealed class DashboardPage
{
    public required bool AllClinicians { get; init; }
    public required DateOnly Today { get; init; }
    public required IReadOnlyList<CaseLine> Cases { get; init; }
    public required IReadOnlyList<OverdueVisit> Overdue { get; init; }

    /// <summary>Visits that can be done today: their window is open.</summary>
    public IReadOnlyList<DueVisit> DueNow { get; init; } = [];

    /// <summary>Visits whose window opens in the next seven days.</summary>
    public IReadOnlyList<DueVisit> DueThisWeek { get; init; } = [];
    public required IReadOnlyList<OpenEvent> OpenEvents { get; init; }
    public required IReadOnlyList<AwaitingSignature> Awaiting { get; init; }
}

/// <summary>
/// A clinician's start page: their open cases by stage with the next step, follow-up visits whose window has
/// closed, visits due now and those whose window opens this week, adverse events still open, and consent forms
/// printed but not yet signed.
/// </summary>
[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DashboardController(ClinicDbContext db, UserManager<ClinicUser> users, ClinicClock clock, IOptions<ClinicOptions> options) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(bool all = false)
    {
        var me = users.GetUserId(User)!;
        var today = clock.Today;
        var cases = db.Cases.Where(Case.Open).Where(c => (all || c.AssignedClinicianId == me));

        var open = await cases.Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new { Case = c, p.FamilyName, p.GivenName, p.Mrn })
            .AsNoTracking().ToListAsync();
        // The open cases are named by the same filter in each query (EXISTS), never sent back as a list of ids: SQLite
        // refuses tens of thousands of parameters and SQL Server more than 2,100.
        var visits = (await db.FollowUpVisits.AsNoTracking()
                .Where(v => v.Status == VisitStatus.Scheduled && cases.Any(c => c.Id == v.CaseId)).ToListAsync())
            .ToLookup(v => v.CaseId);
        // A printed form matters until the injection; after it, an unsigned form is only a record.
        var printed = await db.ConsentDocuments
            .Where(d => d.Status == ConsentStatus.Generated && cases.Where(Case.BeforeInjection).Any(c => c.Id == d.CaseId))
            .Select(d => new { d.CaseId, d.DocumentNumber, d.GeneratedAt }).ToListAsync();
        var printedCases = printed.Select(d => d.CaseId).ToHashSet();
        var names = open.ToDictionary(o => o.Case.Id, o => (Name: Patient.ListName(o.FamilyName, o.GivenName), o.Mrn, o.Case.Knee));

        var events = await db.AdverseEvents.AsNoTracking()
            .Where(e => (e.Outcome == AdverseEventOutcome.Ongoing || e.Outcome == AdverseEventOutcome.Unknown) && e.EnteredInErrorAt == null
                && db.Cases.Any(c => c.Id == e.CaseId && (all || c.AssignedClinicianId == me)))
            .Join(db.Cases, e => e.CaseId, c => c.Id, (e, c) => new { Event = e, c.PatientId })
            .Join(db.Patients, x => x.PatientId, p => p.Id, (x, p) => new { x.Event, p.FamilyName, p.GivenName, p.Mrn })
            .ToListAsync();

        IEnumerable<DueVisit> Due(Func<FollowUpVisit, bool> when) => visits.SelectMany(g => g).Where(when).OrderBy(v => v.WindowCloses)
            .Select(v => new DueVisit(v.CaseId, v.Id, names[v.CaseId].Name, names[v.CaseId].Mrn, names[v.CaseId].Knee, v.Label, v.WindowOpens, v.WindowCloses));

        return View(new DashboardPage
        {
            AllClinicians = all,
            Today = today,
            Cases = [.. open.OrderBy(o => o.Case.Stage).ThenBy(o => o.FamilyName)
                .Select(o => new CaseLine(o.Case.Id, names[o.Case.Id].Name, o.Mrn, o.Case.Knee, o.Case.CellSource, o.Case.Stage,
                    CasePage.Next(o.Case, printedCases.Contains(o.Case.Id), visits[o.Case.Id], today)))],
            Overdue = [.. visits.SelectMany(g => g).Where(v => v.IsOverdue(today)).OrderBy(v => v.WindowCloses)
                .Select(v => new OverdueVisit(v.CaseId, v.Id, names[v.CaseId].Name, names[v.CaseId].Mrn, names[v.CaseId].Knee, v.Label, v.WindowCloses))],
            DueNow = [.. Due(v => v.WindowOpens <= today && today <= v.WindowCloses)],
            DueThisWeek = [.. Due(v => today < v.WindowOpens && v.WindowOpens <= today.AddDays(7))],
            OpenEvents = [.. events.OrderByDescending(e => e.Event.IsSerious).ThenBy(e => e.Event.OnsetOn)
                .Select(e => new OpenEvent(e.Event.CaseId, e.Event.Id, Patient.ListName(e.FamilyName, e.GivenName), e.Mrn, e.Event.OnsetOn, e.Event.Category,
                    e.Event.CtcaeGrade, e.Event.IsSerious, e.Event.ReportDueOn(options.Value.SeriousEventReportingDays, clock.DateOf)))],
            Awaiting = [.. printed.OrderBy(d => d.GeneratedAt)
                .Select(d => new AwaitingSignature(d.CaseId, names[d.CaseId].Name, names[d.CaseId].Mrn, d.DocumentNumber, d.GeneratedAt))],
        });
    }
}
