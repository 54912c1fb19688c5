using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Outcomes;

/// <summary>The outcome report as of one day and one state of the data.</summary>
public sealed record OutcomeFiguresAsOf(IReadOnlyList<OutcomeGroup> Groups, DateOnly Today, FollowUpSchedule Schedule);

/// <summary>
/// Reads every injected case's baselines and follow-up measures and every adverse event, and hands them to
/// <see cref="OutcomeReport"/>, which does all the counting. At 50,000 patients that is a few hundred thousand small
/// rows, so the report is kept in memory until the data changes (<see cref="LastChange"/>) or the day does.
/// </summary>
public sealed class OutcomeFigures(ClinicDbContext db, IMemoryCache cache, IOptions<ClinicOptions> options, ClinicClock clock, DataChanges changes)
{
    private sealed record Kept(long? LastChange, OutcomeFiguresAsOf Figures);

    public async Task<OutcomeFiguresAsOf> ReadAsync(CancellationToken cancellationToken)
    {
        var lastChange = await changes.LastChangeAsync(db, cancellationToken);
        var today = clock.Today;
        if (cache.TryGetValue(typeof(OutcomeFigures), out Kept? kept) && kept!.LastChange == lastChange && kept.Figures.Today == today)
            return kept.Figures;

        var schedule = options.Value.Schedule;
        var figures = new OutcomeFiguresAsOf(OutcomeReport.Build(await CasesAsync(cancellationToken), await EventsAsync(cancellationToken), schedule, today),
            today, schedule);
        cache.Set(typeof(OutcomeFigures), new Kept(lastChange, figures), TimeSpan.FromMinutes(10));
        return figures;
    }

    private async Task<List<CaseOutcome>> CasesAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Cases.AsNoTracking().Where(c => c.Injection != null)
            .Select(c => new
            {
                c.CellSource,
                c.Screening.BaselinePainNrs,
                BaselineKoosPain = c.Screening.BaselineKoos!.Pain,
                Visits = c.Visits.Select(v => new { v.Label, v.Status, v.WindowCloses, v.PainNrs, KoosPain = v.Koos!.Pain }).ToList(),
            })
            .AsSplitQuery().ToListAsync(cancellationToken);
        return
        [
            .. rows.Select(c => new CaseOutcome(c.CellSource, c.BaselinePainNrs?.Value, c.BaselineKoosPain,
                [.. c.Visits.Select(v => new VisitOutcome(v.Label, v.Status, v.WindowCloses, v.PainNrs?.Value, v.KoosPain))])),
        ];
    }

    private Task<List<AdverseEventFact>> EventsAsync(CancellationToken cancellationToken) =>
        db.AdverseEvents.AsNoTracking().Where(e => e.EnteredInErrorAt == null)
            .Join(db.Cases, e => e.CaseId, c => c.Id, (e, c) => new AdverseEventFact(c.CellSource, e.Category, e.CtcaeGrade, e.Serious != SeriousCriteria.None))
            .ToListAsync(cancellationToken);
}
