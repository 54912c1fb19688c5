using System.Diagnostics;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Home;

public sealed class HomeController : Controller
{
    public IActionResult Index() =>
        User.IsInRole(Roles.Clinician) ? RedirectToAction("Index", "Dashboard")
        : User.IsInRole(Roles.Administrator) ? RedirectToAction("Index", "Staff")
        : View();

    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
    public IActionResult Error() =>
        View(new ErrorViewModel(Activity.Current?.Id ?? HttpContext.TraceIdentifier,
            Response.StatusCode == StatusCodes.Status503ServiceUnavailable));

    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [Route("Home/Status/{code:int}")]
    public IActionResult Status(int code) => View(code);
}

public sealed record ErrorViewModel(string RequestId, bool DatabaseUnavailable = false);
