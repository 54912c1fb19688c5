// Firely's model makes every element nullable; here a missing element fails the assertion that reads it.
#nullable disable warnings
#pragma warning disable CA5350 // FHIR R4's Attachment.hash is SHA-1: the test checks it as a receiver would.
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Hl7.Fhir.Model;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Exports;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using FhirAdverseEvent = Hl7.Fhir.Model.AdverseEvent;
using FhirConsent = Hl7.Fhir.Model.Consent;
using FhirPatient = Hl7.Fhir.Model.Patient;
using Task = System.Threading.Tasks.Task;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The FHIR export of one demo patient, Hana (bone marrow, right knee): harvested, injected seven and a half months ago,
/// three visits recorded, an infection that needed a hospital stay. Exported through the patient page's form, read
/// back with Firely's parser.
/// </summary>
public sealed class FhirPatientExport
{
    [Fact]
    public async Task APatientExportsAsABundleThatParsesBackWithEveryResourceLinkedAndTheSignedFormsHashes()
    {
        await using var clinic = new ClinicFactory();
        await DemoData.SeedAsync(clinic.Services, TextWriter.Null);
        var session = await clinic.SignedInAsync(Roles.Clinician);
        var hana = await clinic.QueryAsync(db => db.Patients.SingleAsync(p => p.Mrn == Mrn.Of("DEMO-0008")));

        var exported = await session.SubmitAsync(await session.GetAsync($"/Patients/Details/{hana.Id}"), "#export-fhir");
        Assert.Equal(HttpStatusCode.OK, exported.Status);
        Assert.Equal("application/fhir+json", exported.Response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("DEMO", exported.Response.Content.Headers.ContentDisposition!.FileName!, StringComparison.OrdinalIgnoreCase);

        // The library reads it back, and writes exactly the same JSON from what it read: nothing was lost or invented.
        var bundle = JsonSerializer.Deserialize<Bundle>(exported.Text, FhirExport.Json)!;
        Assert.Equal(exported.Text, JsonSerializer.Serialize(bundle, FhirExport.Json));
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);

        var byUrl = bundle.Entry.ToDictionary(e => e.FullUrl, e => e.Resource);
        T Resolve<T>(ResourceReference reference) where T : Resource => Assert.IsType<T>(byUrl[reference.Reference]);

        var patient = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<FhirPatient>());
        Assert.Equal(("Demo-Novak", "DEMO-0008", "1955-03-03"), (patient.Name[0].Family, patient.Identifier[0].Value, patient.BirthDate));
        var subject = bundle.Entry.Single(e => e.Resource is FhirPatient).FullUrl;

        // The signed consent: active, for treatment, with its printed PDF and its signed scan, each hash checking out.
        var consent = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<FhirConsent>());
        Assert.Equal((FhirConsent.ConsentState.Active, "treatment", subject), (consent.Status, consent.Scope.Coding[0].Code, consent.Patient.Reference));
        var document = Resolve<DocumentReference>((ResourceReference)consent.Source);
        Assert.EndsWith($"/ConsentTemplates/Preview/{await clinic.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == Guid.Parse(consent.Id)).Select(d => d.TemplateVersionId).SingleAsync())}",
            consent.Policy[0].Uri);
        var stored = await clinic.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.Id == Guid.Parse(consent.Id)));
        Assert.Equal(stored.DocumentNumber.ToString(), document.Identifier[0].Value);
        Assert.Equal(2, document.Content.Count);
        foreach (var attachment in document.Content.Select(c => c.Attachment))
            Assert.Equal(SHA1.HashData(attachment.Data), attachment.Hash);
        Assert.Equal(stored.Sha256, Convert.ToHexStringLower(SHA256.HashData(document.Content[0].Attachment.Data)));
        Assert.Equal(stored.Signature!.ScanSha256, Convert.ToHexStringLower(SHA256.HashData(document.Content[1].Attachment.Data)));
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(document.Content[0].Attachment.Data, 0, 4));

        // The harvest and the injection into the right knee.
        var procedures = bundle.Entry.Select(e => e.Resource).OfType<Procedure>().ToList();
        Assert.Equal(2, procedures.Count);
        Assert.Contains(procedures, p => p.Code.Text.Contains("Bone-marrow aspiration", StringComparison.Ordinal) && p.Performed is Period);
        var injection = Assert.Single(procedures, p => p.Code.Text.Contains("injection", StringComparison.Ordinal));
        Assert.Equal(("http://snomed.info/sct", "6757004"), (injection.BodySite[0].Coding[0].System, injection.BodySite[0].Coding[0].Code));
        Assert.All(procedures, p => Assert.Equal(subject, p.Subject.Reference));

        // Pain and the five KOOS subscales at screening and at each of the three visits recorded.
        var observations = bundle.Entry.Select(e => e.Resource).OfType<Observation>().ToList();
        Assert.Equal(4 * 6, observations.Count);
        Assert.Equal(4, observations.Count(o => o.Code.Coding[0].Code == FhirExport.PainNrsLoinc));
        foreach (var (code, _) in FhirExport.KoosLoinc.Values)
            Assert.Equal(4, observations.Count(o => o.Code.Coding[0].Code == code && o.Code.Coding[0].System == "http://loinc.org"));
        var baselinePain = observations.Single(o => o.Code.Coding[0].Code == FhirExport.PainNrsLoinc && o.Note[0].Text.Contains("screening", StringComparison.Ordinal));
        Assert.Equal(7m, ((Quantity)baselinePain.Value).Value);

        // The infection: serious, severe (CTCAE 3), ongoing, suspected to come from the injection.
        var adverse = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<FhirAdverseEvent>());
        Assert.Equal(("serious", "severe", "ongoing"), (adverse.Seriousness.Coding[0].Code, adverse.Severity.Coding[0].Code, adverse.Outcome.Coding[0].Code));
        Assert.Same(injection, Resolve<Procedure>(adverse.SuspectEntity[0].Instance));

        // The export is in the audit trail, with the patient it concerns.
        var audit = await clinic.QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditAction.Exported).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal(hana.Id, entry.PatientId);
        Assert.DoesNotContain("Novak", entry.NewValues!, StringComparison.Ordinal);

        // An administrator, who has no patient pages, exports the same patient from the consent records.
        var admin = await clinic.SignedInAsync(Roles.Administrator);
        var records = await admin.GetAsync("/ConsentRecords");
        var row = records.Document.QuerySelectorAll("#consent-records tbody tr").Single(r => r.TextContent.Contains("DEMO-0008", StringComparison.Ordinal));
        var fromRecords = await admin.SubmitAsync(records, $"form.export-fhir[action='/Exports/Fhir/{hana.Id}']");
        Assert.Equal(HttpStatusCode.OK, fromRecords.Status);
        Assert.NotNull(row.QuerySelector("form.export-fhir"));
        Assert.Single(JsonSerializer.Deserialize<Bundle>(fromRecords.Text, FhirExport.Json)!.Entry, e => e.Resource is FhirPatient);
        Assert.Equal(2, await clinic.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Exported && e.PatientId == hana.Id)));
    }

    [Fact]
    public async Task AnUnknownPatientIsNotFoundAndNothingIsRecordedAsExported()
    {
        await using var clinic = new ClinicFactory();
        var (session, caseId) = await clinic.ClinicianWithScreenedCaseAsync(CellSource.Adipose);
        var patientId = await clinic.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync());
        var page = await session.GetAsync($"/Patients/Details/{patientId}");
        var missing = await session.PostAsync(page, $"/Exports/Fhir/{Guid.NewGuid()}", new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(0, await clinic.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.Exported)));

        // A screened patient with no consent yet: the bundle holds the patient and the screening scores only.
        var exported = await session.SubmitAsync(page, "#export-fhir");
        var bundle = JsonSerializer.Deserialize<Bundle>(exported.Text, FhirExport.Json)!;
        Assert.Single(bundle.Entry, e => e.Resource is FhirPatient);
        Assert.DoesNotContain(bundle.Entry, e => e.Resource is FhirConsent or Procedure or FhirAdverseEvent);
        Assert.Contains(bundle.Entry, e => e.Resource is Observation o && o.Code.Coding[0].Code == FhirExport.PainNrsLoinc);
    }
}
