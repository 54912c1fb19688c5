using System.Text;
using System.Text.Json;
using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Research;

public sealed class ResearchPage
{
    public int InjectedCases { get; init; }

    /// <summary>Why the key file is needed: required, and kept in the audit trail with the download.</summary>
    public string? Reason { get; set; }
}

/// <summary>The de-identified research file and the key file that maps it back. Administrators only; every download is audited.</summary>
[Authorize(Policy = Startup.AdministrationPolicy)]
public sealed class ResearchController(ResearchExport export, AuditReads reads, ClinicClock clock) : Controller
{
    public const int ReasonMinLength = 10;

    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(new ResearchPage { InjectedCases = await export.InjectedCasesAsync(cancellationToken) });

    [HttpPost]
    public async Task<IActionResult> Export(CancellationToken cancellationToken)
    {
        var assigned = await export.AssignCodesAsync(cancellationToken);
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Exported, "ResearchFile", "",
            details: JsonSerializer.Serialize(new { File = "de-identified research file", NewStudyCodes = assigned })));
        await StartCsvAsync($"research-{clock.Today:yyyy-MM-dd}.csv");
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(false));
        await export.WriteAsync(writer, cancellationToken);
        return new EmptyResult();
    }

    [HttpPost]
    public async Task<IActionResult> KeyFile(ResearchPage page, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(page.Reason) || page.Reason.Trim().Length < ReasonMinLength)
        {
            ModelState.AddModelError(nameof(ResearchPage.Reason),
                $"Say why the study codes must be matched to patients (at least {ReasonMinLength} characters), for example the request of the ethics board you answer.");
            return View(nameof(Index), new ResearchPage { InjectedCases = await export.InjectedCasesAsync(cancellationToken), Reason = page.Reason });
        }
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Exported, "ResearchKeyFile", "",
            details: JsonSerializer.Serialize(new { File = "research key file", Reason = page.Reason.Trim() })));
        await StartCsvAsync($"research-key-{clock.Today:yyyy-MM-dd}.csv");
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(false));
        await export.WriteKeyAsync(writer, cancellationToken);
        return new EmptyResult();
    }

    private Task StartCsvAsync(string fileName)
    {
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        Response.Headers.CacheControl = "no-store";
        return Response.StartAsync();
    }
}
