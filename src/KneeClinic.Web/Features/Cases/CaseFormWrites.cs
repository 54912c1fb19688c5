using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Features.Cases;

/// <summary>
/// The forms of the case's step pages: done, the step page again (or the overview when <c>then</c> is null) with
/// the message; failed, the same step page with the form as it was posted and its errors beside its fields.
/// </summary>
public static class CaseFormWrites
{
    public static Task<IActionResult> OnStepPage<TForm>(this CaseWrites writes, Controller page, Guid caseId, CaseStep step, TForm form,
        Action<CasePage> keepForm, Func<Case, ConsentTerms, RuleViolation?> change, string done, CaseStep? then)
        where TForm : CaseFormBase =>
        writes.RunAsync(page, caseId, form.Version, change, done, then, () => AgainAsync(page, caseId, step, typeof(TForm).Name, keepForm));

    /// <inheritdoc cref="OnStepPage{TForm}"/>
    public static Task<IActionResult> OnStepPage<TForm>(this CaseWrites writes, Controller page, Guid caseId, CaseStep step, TForm form,
        Action<CasePage> keepForm, Func<Case, ConsentTerms, RuleViolation?> change, string done)
        where TForm : CaseFormBase => writes.OnStepPage(page, caseId, step, form, keepForm, change, done, step);

    /// <summary>The step page again, with <paramref name="keepForm"/> putting back what was typed in the form that failed.</summary>
    public static async Task<IActionResult> AgainAsync(Controller page, Guid caseId, CaseStep step, string failedForm, Action<CasePage> keepForm)
    {
        var services = page.HttpContext.RequestServices;
        var found = await CasePage.LoadAsync(services.GetRequiredService<ClinicDbContext>(), services.GetRequiredService<ReferenceData>(), caseId,
            services.GetRequiredService<IOptions<ClinicOptions>>().Value, services.GetRequiredService<ClinicClock>());
        if (found is null) return page.NotFound();
        // The page shows the case again, read afresh: a view like any other.
        await services.GetRequiredService<AuditReads>().ViewedAsync(nameof(Case), caseId.ToString(), found.Case.PatientId);
        found.Step = step;
        keepForm(found);
        page.ViewData["FailedForm"] = failedForm;
        return page.View("~/Features/Cases/Step.cshtml", found);
    }
}
