using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Audit;

/// <summary>
/// Administrators read the audit trail, export it and check its hash chain. The filter can name a patient by
/// MRN, so it is posted, never put in the address.
/// </summary>
[Authorize(Policy = Startup.AdministrationPolicy)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class AuditController(ClinicDbContext db, AuditReads reads, AuditRecordTypes types, ClinicClock clock) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index() => await ListedAsync(await AuditSearch.PageAsync(db, types, clock, new AuditFilter(), null), null);

    [HttpPost]
    [ActionName("Index")]
    public async Task<IActionResult> Search(AuditFilter filter)
    {
        var patientId = await AuditSearch.CheckAsync(db, filter, ModelState);
        return ModelState.IsValid
            ? await ListedAsync(await AuditSearch.PageAsync(db, types, clock, filter, patientId), patientId)
            : View(await AuditSearch.EmptyAsync(db, types, filter));
    }

    /// <summary>A page of the trail, its view recorded with the patients on it and the filter by ids (the MRN typed is not kept).</summary>
    private async Task<IActionResult> ListedAsync(AuditPage page, Guid? patientId)
    {
        var f = page.Filter;
        await reads.ListedAsync(AuditReads.ListPages.AuditTrail, page.Rows.Where(r => r.PatientId is not null).Select(r => r.PatientId!.Value),
            new { f.UserId, PatientId = patientId, f.Entity, Action = f.Operation?.ToString(), f.From, f.To });
        return View(nameof(Index), page);
    }

    /// <summary>One entry on its own page: its fields of patient data show only that they changed, with a form to reveal them.</summary>
    [HttpGet]
    public async Task<IActionResult> Entry(long id)
    {
        if (await AuditSearch.EntryAsync(db, clock, id) is not { } row) return NotFound();
        await RecordEntryAsync(AuditAction.Viewed, row);
        return View(new AuditEntryPage(row, new RevealForm(), Revealed: false));
    }

    /// <summary>
    /// Break-the-glass: the values of one entry's patient data, shown once the administrator gives a reason. The reveal is
    /// recorded first (who, which entry, the reason), so values are never shown without it.
    /// </summary>
    [HttpPost]
    public async Task<IActionResult> Reveal(long id, [Bind(Prefix = nameof(AuditEntryPage.Reveal))] RevealForm form)
    {
        if (await AuditSearch.EntryAsync(db, clock, id) is not { } row) return NotFound();
        var reason = form.Reason?.Trim() ?? "";
        if (ModelState.IsValid && reason.Length < RevealForm.MinimumLength)
            ModelState.AddModelError("Reveal.Reason", $"Write the reason in a few words: at least {RevealForm.MinimumLength} characters.");
        if (!ModelState.IsValid)
        {
            await RecordEntryAsync(AuditAction.Viewed, row);
            return View(nameof(Entry), new AuditEntryPage(row, form, Revealed: false));
        }
        await RecordEntryAsync(AuditAction.Revealed, row, JsonSerializer.Serialize(new { Reason = reason }));
        return View(nameof(Entry), new AuditEntryPage(row, form, Revealed: true));
    }

    private Task RecordEntryAsync(AuditAction action, AuditRow row, string? details = null) =>
        reads.RecordAsync(AuditEntry.Event(action, AuditReads.ListPages.AuditEntry, row.Sequence.ToString(CultureInfo.InvariantCulture), row.PatientId, details));

    /// <summary>Every entry the filter matches as CSV, oldest first; the export itself is audited with its filter.</summary>
    [HttpPost]
    public async Task<IActionResult> Export(AuditFilter filter)
    {
        var patientId = await AuditSearch.CheckAsync(db, filter, ModelState);
        if (!ModelState.IsValid) return View(nameof(Index), await AuditSearch.EmptyAsync(db, types, filter));

        if (await AuditSearch.AllAsync(db, clock, filter, patientId) is not { } rows)
        {
            ModelState.AddModelError("", $"More than {AuditSearch.ExportLimit:N0} entries match. Narrow the filter, for example to fewer dates, and export again.");
            return View(nameof(Index), await AuditSearch.EmptyAsync(db, types, filter));
        }
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Exported, "AuditTrail", "", patientId,
            JsonSerializer.Serialize(new { filter.UserId, PatientId = patientId, filter.Entity, Action = filter.Operation?.ToString(), filter.From, filter.To, Rows = rows.Count })));

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Escape values a spreadsheet would run as a formula (=, +, -, @ at the start).
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape }))
            await csv.WriteRecordsAsync(rows.Select(r => new
            {
                r.Sequence,
                At = r.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                r.UserName,
                r.ClientAddress,
                Action = r.Action.ToString(),
                r.Entity,
                r.EntityId,
                r.PatientMrn,
                // Patient data stays hidden in the export too: its values are revealed one entry at a time, with a reason.
                OldValues = r.Masked(r.OldValues),
                NewValues = r.Masked(r.NewValues),
                r.Hash,
            }));
        var name = $"audit-trail-{clock.Today:yyyy-MM-dd}.csv";
        return File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(text.ToString())).ToArray(), "text/csv", name);
    }

    /// <summary>
    /// Walks the whole chain, checks it against every signed head, and shows each entry that is missing or changed; the
    /// check is itself audited.
    /// </summary>
    [HttpPost]
    public async Task<IActionResult> Verify([FromServices] AuditHeads heads) => await CheckAsync(heads, null);

    /// <summary>Writes a signed head of the trail now (before shipping the heads file off-site, say), then checks the chain.</summary>
    [HttpPost]
    public async Task<IActionResult> WriteHead([FromServices] AuditHeads heads, [FromServices] ILogger<AuditController> logger)
    {
        try
        {
            return await CheckAsync(heads, await heads.WriteAsync(db, HttpContext.RequestAborted));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "The signed head of the audit trail could not be written to {Folder}.", heads.Folder);
            return await CheckAsync(heads, null, "The signed head could not be written: the app may not write to the heads folder (Audit:HeadsFolder). "
                + "Ask whoever runs the server to check that folder; the error is in the app's log.");
        }
    }

    private async Task<IActionResult> CheckAsync(AuditHeads heads, AuditHead? written, string? writeProblem = null)
    {
        var report = await heads.VerifyAsync(db, HttpContext.RequestAborted);
        await reads.RecordAsync(AuditEntry.Event(AuditAction.ChainVerified, "AuditTrail", "",
            details: JsonSerializer.Serialize(new { report.Entries, report.Intact, report.BrokenAt, Problems = report.Problems.Count, report.LastSequence, report.LastHash, LatestHead = report.LatestHead?.Sequence })));
        return View(nameof(Verify), new ChainCheck(report, written, writeProblem));
    }
}

/// <summary>The Verify page: what the check found, and the head written just before it (or why not) when one was asked for.</summary>
public sealed record ChainCheck(ChainReport Report, AuditHead? Written, string? WriteProblem = null);
