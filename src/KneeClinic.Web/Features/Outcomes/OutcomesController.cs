using KneeClinic.Core.Audit;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Outcomes;

/// <summary>The clinic's outcomes across all cases: figures only, no patient is named or identifiable on the page.</summary>
[Authorize(Policy = Startup.StaffPolicy)]
public sealed class OutcomesController(OutcomeFigures figures, AuditReads reads) : Controller
{
    /// <summary>Recorded although it names no patient: who looked at (and may have printed) the clinic's figures, and when.</summary>
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var report = await figures.ReadAsync(cancellationToken);
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, "OutcomeReport", report.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        return View(report);
    }
}
