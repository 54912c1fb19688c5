using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Outcomes;

/// <summary>The clinic's outcomes across all cases: figures only, no patient is named or identifiable on the page.</summary>
[Authorize(Policy = Startup.StaffPolicy)]
public sealed class OutcomesController(OutcomeFigures figures) : Controller
{
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) => View(await figures.ReadAsync(cancellationToken));
}
