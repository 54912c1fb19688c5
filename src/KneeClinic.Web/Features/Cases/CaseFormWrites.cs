using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Cases;

/// <summary>The forms on the case page: on failure the case page comes back with the failed form as it was posted.</summary>
public static class CaseFormWrites
{
    public static Task<IActionResult> OnCasePage<TForm>(this CaseWrites writes, Controller page, Guid caseId, TForm form,
        Action<CasePage> keepForm, Func<Case, ConsentTerms, RuleViolation?> step, string done, string? anchor = null)
        where TForm : CaseFormBase =>
        writes.RunAsync(page, caseId, form.Version, step, done, anchor, () => AgainAsync(page, caseId, typeof(TForm).Name, keepForm));

    /// <summary>The case page again, with <paramref name="keepForm"/> putting back what was typed in the form that failed.</summary>
    public static async Task<IActionResult> AgainAsync(Controller page, Guid caseId, string failedForm, Action<CasePage> keepForm)
    {
        var services = page.HttpContext.RequestServices;
        var found = await CasePage.LoadAsync(services.GetRequiredService<ClinicDbContext>(), caseId,
            services.GetRequiredService<IOptions<ClinicOptions>>().Value, services.GetRequiredService<ClinicClock>());
        if (found is null) return page.NotFound();
        keepForm(found);
        page.ViewData["FailedForm"] = failedForm;
        return page.View("~/Features/Cases/Details.cshtml", found);
    }
}
