using KneeClinic.Core.Data;
using KneeClinic.Web.Features.Cases;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// A browser asks with GET for an address that only takes a form (POST) when sign-in returns to where a form was sent
/// after the session had ended, or when a page answered to a form is reloaded or bookmarked. Instead of "405", such a
/// request is sent to the page that holds the form. Every POST-only action is listed here (a test checks it), with
/// the page its id leads to.
/// </summary>
public static class FormReturns
{
    private delegate Task<string?> Target(string? id, ClinicDbContext db);

    private static Target To(string page) => (_, _) => Task.FromResult<string?>(page);

    private static Target ToCase(CaseStep step) => (id, _) => Task.FromResult<string?>($"/Cases/{step.Action()}/{id}");

    private static Target With(string page) => (id, _) => Task.FromResult<string?>($"{page}/{id}");

    /// <summary>Consent forms are answered on their case's consent page.</summary>
    private static readonly Target ConsentCase = async (id, db) => Guid.TryParse(id, out var documentId)
        && await db.ConsentDocuments.Where(d => d.Id == documentId).Select(d => (Guid?)d.CaseId).FirstOrDefaultAsync() is { } caseId
            ? $"/Cases/{CaseStep.Consent.Action()}/{caseId}"
            : null;

    private static readonly Dictionary<string, Target> Pages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Screening/Checkup"] = ToCase(CaseStep.Screening),
        ["Screening/AddMedication"] = ToCase(CaseStep.Screening),
        ["Screening/RemoveMedication"] = ToCase(CaseStep.Screening),
        ["Screening/AddImaging"] = ToCase(CaseStep.Screening),
        ["Screening/RemoveImaging"] = ToCase(CaseStep.Screening),
        ["Screening/Decide"] = ToCase(CaseStep.Screening),
        ["Consents/Generate"] = ToCase(CaseStep.Consent),
        ["Consents/Withdraw"] = ConsentCase,
        ["Consents/Void"] = ConsentCase,
        ["Procedures/Harvest"] = ToCase(CaseStep.Product),
        ["Procedures/Receipt"] = ToCase(CaseStep.Product),
        ["Procedures/Processing"] = ToCase(CaseStep.Product),
        ["Procedures/Discard"] = ToCase(CaseStep.Product),
        ["Procedures/TimeOut"] = ToCase(CaseStep.TimeOut),
        ["Procedures/Inject"] = ToCase(CaseStep.Injection),
        ["Procedures/MarkMissed"] = ToCase(CaseStep.FollowUp),
        ["Procedures/ReportAdverseEvent"] = ToCase(CaseStep.AdverseEvents),
        ["Procedures/EnteredInError"] = With("/Procedures/UpdateAdverseEvent"),
        ["Staff/Disable"] = With("/Staff/Edit"),
        ["Staff/Enable"] = With("/Staff/Edit"),
        ["Staff/ResetPassword"] = With("/Staff/Edit"),
        ["ConsentTemplates/NewDraft"] = To("/ConsentTemplates"),
        ["ConsentTemplates/Retire"] = To("/ConsentTemplates"),
        ["Exports/Fhir"] = With("/Patients/Details"),
        ["Research/Export"] = To("/Research"),
        ["Research/KeyFile"] = To("/Research"),
        ["Audit/Export"] = To("/Audit"),
        ["Audit/Verify"] = To("/Audit"),
        ["Audit/Reveal"] = (id, db) => Task.FromResult<string?>(long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var _) ? $"/Audit/Entry/{id}" : "/Audit"),
        ["Audit/WriteHead"] = To("/Audit"),
        ["Manage/ChangePassword"] = To("/Manage"),
        ["Manage/DisableTwoFactor"] = To("/Manage"),
        ["Manage/NewRecoveryCodes"] = To("/Manage"),
        ["Manage/ResetAuthenticator"] = To("/Manage"),
        ["Account/Logout"] = To("/"),
    };

    /// <summary>The POST-only actions that have a page to return to, as "Controller/Action".</summary>
    public static IReadOnlyCollection<string> Actions => Pages.Keys;

    /// <summary>Goes after authorization: a signed-out request is sent to sign in first, and comes back here after.</summary>
    public static IApplicationBuilder UseFormReturns(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !IsMethodNotAllowed(context.GetEndpoint()))
        {
            await next(context);
            return;
        }
        var parts = context.Request.Path.Value!.Trim('/').Split('/');
        if (parts.Length is < 2 or > 3 || !Pages.TryGetValue($"{parts[0]}/{parts[1]}", out var target))
        {
            await next(context);
            return;
        }
        if (context.User.Identity?.IsAuthenticated != true && !string.Equals(parts[0], "Account", StringComparison.OrdinalIgnoreCase))
        {
            await context.ChallengeAsync();
            return;
        }
        var id = parts.Length == 3 ? parts[2] : null;
        if (await target(id, context.RequestServices.GetRequiredService<ClinicDbContext>()) is { } page)
            context.Response.Redirect(page);
        else
            context.Response.StatusCode = StatusCodes.Status404NotFound;
    });

    /// <summary>Routing answers a known address asked with the wrong method with an endpoint of its own that writes 405.</summary>
    private static bool IsMethodNotAllowed(Endpoint? endpoint) =>
        endpoint is not null && endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor>() is null
        && endpoint.DisplayName == "405 HTTP Method Not Supported";
}
