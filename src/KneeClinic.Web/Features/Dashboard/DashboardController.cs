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

namespace KneeClinic.Web.Features.Dashboard;

public sealed record CaseLine(Guid CaseId, Guid PatientId, string Patient, Mrn Mrn, KneeSide Knee, CellSource Source, CaseStage Stage, string NextAction);

public sealed record OverdueVisit(Guid CaseId, Guid PatientId, Guid VisitId, string Patient, Mrn Mrn, KneeSide Knee, string Visit, DateOnly WindowCloses);

public sealed record OpenEvent(Guid CaseId, Guid PatientId, Guid EventId, string Patient, Mrn Mrn, DateOnly OnsetOn, AdverseEventCategory Category, int Grade, bool Serious,
    DateOnly? ReportDueOn);

/// <summary>A scheduled visit whose window is open now, or opens within the week.</summary>
public sealed record DueVisit(Guid CaseId, Guid PatientId, Guid VisitId, string Patient, Mrn Mrn, KneeSide Knee, string Visit, DateOnly WindowOpens, DateOnly WindowCloses);

public sealed record AwaitingSignature(Guid CaseId, Guid PatientId, string Patient, Mrn Mrn, string DocumentNumber, DateTimeOffset PrintedAt);

public sealed class DashboardPage
{
    public required bool AllClinicians { get; init; }
    public required DateOnly Today { get; init; }

    /// <summary>One page of the open cases, the most recently opened first; the view groups the page's rows by stage.</summary>
    public required KeysetPage<CaseLine> Cases { get; init; }
    public required IReadOnlyList<OverdueVisit> Overdue { get; init; }

    /// <summary>Visits that can be done today: their window is open.</summary>
    public IReadOnlyList<DueVisit> DueNow { get; init; } = [];

    /// <summary>Visits whose window opens in the next seven days.</summary>
    public IReadOnlyList<DueVisit> DueThisWeek { get; init; } = [];
    public required IReadOnlyList<OpenEvent> OpenEvents { get; init; }
    public required IReadOnlyList<AwaitingSignature> Awaiting { get; init; }

    /// <summary>See <see cref="WorklistGroups.Version"/>.</summary>
    public string WorklistVersion { get; init; } = "";

    /// <summary>The patients on the page of cases.</summary>
    public IEnumerable<Guid> CasePatientIds() => Cases.Rows.Select(c => c.PatientId);

    /// <summary>The patients the work lists show (kept between views, the same until the data changes or the day does).</summary>
    public IEnumerable<Guid> WorklistPatientIds() => Shown(Overdue).Select(v => v.PatientId).Concat(Shown(DueNow).Select(v => v.PatientId))
        .Concat(Shown(DueThisWeek).Select(v => v.PatientId)).Concat(Shown(OpenEvents).Select(e => e.PatientId))
        .Concat(Shown(Awaiting).Select(a => a.PatientId));

    public Pager Pager => Pager.Of(Cases, c => c.CaseId.ToString(),
        AllClinicians ? new Dictionary<string, string> { ["all"] = "true" } : new Dictionary<string, string>(), post: false);

    /// <summary>A group's size as its badge shows it: past <see cref="DashboardController.GroupLimit"/>, "50+".</summary>
    public static string Badge<T>(IReadOnlyList<T> rows) => rows.Count > DashboardController.GroupLimit ? $"{DashboardController.GroupLimit}+" : $"{rows.Count}";

    /// <summary>The rows a group shows: the first <see cref="DashboardController.GroupLimit"/> (each group is read one further, to know).</summary>
    public static IEnumerable<T> Shown<T>(IReadOnlyList<T> rows) => rows.Take(DashboardController.GroupLimit);
}

/// <summary>The dashboard's address: whose cases, and where the page of cases starts (an id, never patient data).</summary>
public sealed class DashboardRequest : PagedRequest
{
    public bool All { get; set; }
}

/// <summary>
/// A clinician's start page: their open cases by stage with the next step, follow-up visits whose window has
/// closed, visits due now and those whose window opens this week, adverse events still open, and consent forms
/// printed but not yet signed.
/// </summary>
[Authorize(Policy = Startup.ClinicalPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class DashboardController(ClinicDbContext db, UserManager<ClinicUser> users, ClinicClock clock, Worklists worklists, AuditReads reads) : Controller
{
    public const int PageSize = 50;

    /// <summary>The most rows a group beside the cases shows, the most urgent first; the badge says when there are more.</summary>
    public const int GroupLimit = 50;

    [HttpGet]
    public async Task<IActionResult> Index(DashboardRequest request)
    {
        var me = users.GetUserId(User)!;
        var today = clock.Today;
        var all = request.All;
        var cases = db.Cases.Where(Case.Open);
        if (!all) cases = cases.Where(c => c.AssignedClinicianId == me);

        // The open cases, a page at a time, the most recently opened first (then case id, to be unique): an order the
        // (clinician, opened) index holds, so a page reads about its own rows even when a clinician has thousands of open
        // cases (by patient name it had to sort them all, 100 ms a page at 50,000 patients). Each row gets what its next
        // step needs (a printed form awaiting signature, its next scheduled visit) looked up for the page's rows alone.
        var lines = cases.Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new { Case = c, p.FamilyName, p.GivenName, p.Mrn });
        var order = Keyset.OrderBy(lines, x => x.Case.OpenedAt, descending: true).ThenBy(x => x.Case.Id, descending: true);
        var page = await Keyset.PageAsync(lines.AsNoTracking(), order, x => x.Case.Id, Guid.TryParse, request, PageSize, x => new
        {
            x.Case.Id,
            x.Case.PatientId,
            x.FamilyName,
            x.GivenName,
            x.Mrn,
            x.Case.Knee,
            x.Case.CellSource,
            x.Case.Stage,
            HasCheckup = x.Case.Screening.CheckupDate != null,
            HasImaging = x.Case.Screening.Imaging.Any(),
            // (A printed form counts only at the Eligible stage, before the injection: see CasePage.Next.)
            Printed = db.ConsentDocuments.Any(d => d.CaseId == x.Case.Id && d.Status == ConsentStatus.Generated),
            // The next scheduled visit's id, by the (CaseId, DueOn) index: one scalar lookup per row of the page.
            NextId = db.FollowUpVisits.Where(v => v.CaseId == x.Case.Id && v.Status == VisitStatus.Scheduled).OrderBy(v => v.DueOn).Select(v => (Guid?)v.Id).FirstOrDefault(),
        });
        // Those visits themselves, by primary key: at most a page's worth of ids, sent as one parameter (a JSON array), not one each.
        var nextIds = page.Rows.Where(o => o.NextId is not null).Select(o => o.NextId!.Value).ToList();
        var next = nextIds.Count == 0 ? [] : await db.FollowUpVisits.AsNoTracking().Where(v => EF.Parameter(nextIds).Contains(v.Id))
            .Select(v => new { v.Id, Visit = new NextVisit(v.Label, v.DueOn, v.WindowOpens, v.WindowCloses) }).ToDictionaryAsync(v => v.Id, v => v.Visit);
        var caseLines = page.Rows.Select(o => new CaseLine(o.Id, o.PatientId, Patient.ListName(o.FamilyName, o.GivenName), o.Mrn, o.Knee, o.CellSource, o.Stage,
            CasePage.Next(new CaseState(o.Stage, o.CellSource, o.HasCheckup, o.HasImaging, o.Printed,
                o.NextId is { } nextId ? next.GetValueOrDefault(nextId) : null), today)));

        var groups = await worklists.ForAsync(all ? null : me, today);
        var dashboard = new DashboardPage
        {
            AllClinicians = all,
            Today = today,
            Cases = new KeysetPage<CaseLine>([.. caseLines], page.HasPrevious, page.HasNext, page.CursorLost),
            Overdue = groups.Overdue,
            DueNow = groups.DueNow,
            DueThisWeek = groups.DueThisWeek,
            OpenEvents = groups.OpenEvents,
            Awaiting = groups.Awaiting,
            WorklistVersion = groups.Version,
        };
        // Every view is recorded, with every patient on the page, though the work lists' HTML may come from the cache. The
        // work lists' patients (a few hundred, the same from view to view) are written to the trail once and named after.
        await reads.ListedAsync(AuditReads.ListPages.Dashboard, dashboard.CasePatientIds(), kept: dashboard.WorklistPatientIds());
        return View(dashboard);
    }
}
