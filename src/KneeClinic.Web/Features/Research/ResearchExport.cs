using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using KneeClinic.Core;
using KneeClinic.Core.Data;
using KneeClinic.Core.Research;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Research;

/// <summary>One line of the key file: a study code and the case and patient it stands for.</summary>
public sealed record StudyKey(string StudyCode, string Mrn, string FamilyName, string GivenName, string DateOfBirth, string Knee, string CaseOpened);

/// <summary>
/// The de-identified research file and its key file. Every injected case gets a study code the first time it is
/// exported; the file is written straight to the response in batches of cases taken in study-code order (random, so
/// the order of the rows says nothing about when patients came), with rows built by <see cref="DeidentifiedRows"/>.
/// </summary>
public sealed class ResearchExport(ClinicDbContext db, ClinicClock clock)
{
    private const int Batch = 500;

    public Task<int> InjectedCasesAsync(CancellationToken cancellationToken) => db.Injections.CountAsync(cancellationToken);

    /// <summary>Gives every injected case without a study code one; returns how many were given.</summary>
    public async Task<int> AssignCodesAsync(CancellationToken cancellationToken)
    {
        var assigned = 0;
        while (true)
        {
            var missing = await db.Injections.AsNoTracking().Where(i => !db.StudyCodes.Any(s => s.CaseId == i.CaseId))
                .Select(i => i.CaseId).Take(Batch).ToListAsync(cancellationToken);
            if (missing.Count == 0) return assigned;
            db.StudyCodes.AddRange(missing.Select(id => new StudyCode(id, clock.Now)));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            assigned += missing.Count;
        }
    }

    /// <summary>Writes the research file as CSV; returns the number of cases written.</summary>
    public async Task<int> WriteAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using var csv = new CsvWriter(output, CultureInfo.InvariantCulture);
        csv.WriteHeader<DeidentifiedRow>();
        await csv.NextRecordAsync();
        var cases = 0;
        string? after = null;
        while (true)
        {
            var batch = await CasesAsync(after, cancellationToken);
            foreach (var c in batch)
            {
                foreach (var row in DeidentifiedRows.For(c))
                {
                    csv.WriteRecord(row);
                    await csv.NextRecordAsync();
                }
            }
            cases += batch.Count;
            if (batch.Count < Batch) return cases;
            after = batch[^1].StudyId;
        }
    }

    private async Task<List<ResearchCase>> CasesAsync(string? after, CancellationToken cancellationToken)
    {
        var rows = await db.StudyCodes.AsNoTracking()
            .Where(s => after == null || s.Code.CompareTo(after) > 0)
            .OrderBy(s => s.Code).Take(Batch)
            .Join(db.Cases, s => s.CaseId, c => c.Id, (s, c) => new { s.Code, Case = c })
            .Join(db.Patients, x => x.Case.PatientId, p => p.Id, (x, p) => new
            {
                x.Code,
                p.DateOfBirth,
                p.Sex,
                x.Case.CellSource,
                x.Case.Knee,
                x.Case.KellgrenLawrenceGrade,
                InjectedAt = x.Case.Injection!.PerformedAt,
                x.Case.Screening.CheckupDate,
                x.Case.Screening.BaselinePainNrs,
                x.Case.Screening.BaselineKoos,
                Visits = x.Case.Visits.Select(v => new { v.Label, v.Status, v.DueOn, v.VisitedAt, v.PainNrs, v.Koos }).ToList(),
                Events = x.Case.AdverseEvents.Where(e => e.EnteredInErrorAt == null)
                    .Select(e => new { e.OnsetOn, e.Category, e.CtcaeGrade, e.Serious }).ToList(),
            })
            .OrderBy(x => x.Code)
            .AsSplitQuery().ToListAsync(cancellationToken);
        return
        [
            .. rows.Select(r => new ResearchCase(r.Code, r.DateOfBirth, r.Sex, r.CellSource, r.Knee, r.KellgrenLawrenceGrade?.Value,
                clock.DateOf(r.InjectedAt), r.CheckupDate, r.BaselinePainNrs?.Value, r.BaselineKoos,
                [.. r.Visits.Select(v => new ResearchVisit(v.Label, v.Status, v.DueOn, v.VisitedAt is { } at ? clock.DateOf(at) : null, v.PainNrs?.Value, v.Koos))],
                [.. r.Events.Select(e => new ResearchEvent(e.OnsetOn, e.Category, e.CtcaeGrade, e.Serious != Core.FollowUp.SeriousCriteria.None))])),
        ];
    }

    /// <summary>Writes the key file as CSV: study code to patient and case; returns the number of lines.</summary>
    public async Task<int> WriteKeyAsync(TextWriter output, CancellationToken cancellationToken)
    {
        // Names are typed by staff: a leading = + - @ is escaped so a spreadsheet does not run it as a formula.
        await using var csv = new CsvWriter(output, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
        csv.WriteHeader<StudyKey>();
        await csv.NextRecordAsync();
        var lines = 0;
        await foreach (var key in db.StudyCodes.AsNoTracking().OrderBy(s => s.Code)
                           .Join(db.Cases, s => s.CaseId, c => c.Id, (s, c) => new { s.Code, c.PatientId, c.Knee, c.OpenedAt })
                           .Join(db.Patients, x => x.PatientId, p => p.Id, (x, p) => new { x.Code, p.Mrn, p.FamilyName, p.GivenName, p.DateOfBirth, x.Knee, x.OpenedAt })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            csv.WriteRecord(new StudyKey(key.Code, key.Mrn.ToString(), key.FamilyName, key.GivenName,
                key.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), key.Knee.ToString(),
                clock.DateOf(key.OpenedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            await csv.NextRecordAsync();
            lines++;
        }
        return lines;
    }
}
