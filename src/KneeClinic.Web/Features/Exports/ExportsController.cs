using System.Text.Json;
using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace KneeClinic.Web.Features.Exports;

/// <summary>Patient data leaving the clinic in a form other systems read. Every export is recorded in the audit trail first.</summary>
[Authorize(Policy = Startup.StaffPolicy)]
public sealed class ExportsController(FhirExport fhir, AuditReads reads, ClinicClock clock) : Controller
{
    /// <summary>One patient as a FHIR R4 bundle (JSON). A POST, so no link preview or prefetch can start an export.</summary>
    [HttpPost]
    public async Task<IActionResult> Fhir(Guid id, CancellationToken cancellationToken)
    {
        var bundle = await fhir.BuildAsync(id, clock.Now, cancellationToken);
        if (bundle is null) return NotFound();
        await reads.RecordAsync(AuditEntry.Event(AuditAction.Exported, nameof(Core.Patients.Patient), id.ToString(), id,
            JsonSerializer.Serialize(new { Format = "FHIR R4 bundle", Resources = bundle.Entry.Count })));
        // The file name carries no patient data: it is kept in download folders and browser histories.
        return File(JsonSerializer.SerializeToUtf8Bytes(bundle, FhirExport.Json), "application/fhir+json",
            $"patient-{clock.Today:yyyy-MM-dd}-{id.ToString("N")[..8]}.fhir.json");
    }
}
