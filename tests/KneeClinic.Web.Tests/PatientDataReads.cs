using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Every read of patient data leaves one entry in the audit trail. The pages are found from the app's own endpoint list:
/// every GET action that needs a signed-in user is requested through the real pipeline against the demo clinic's records
/// and must write exactly one entry, naming its patient (a page about one patient) or the patients it listed (a list),
/// with no name in it. A new page that writes none, or two, fails here; so does a new page this test has no record for.
/// </summary>
public sealed class PatientDataReads(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>, IAsyncLifetime
{
    /// <summary>The demo clinic, cases at every stage, seeded before the first test adds a patient of its own (it seeds only an empty clinic).</summary>
    public Task InitializeAsync() => DemoData.SeedAsync(factory.Services, TextWriter.Null);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Pages that show no patient data, each with the reason; every other signed-in GET page is checked.</summary>
    private static readonly Dictionary<string, string> ShowNoPatientData = new()
    {
        ["Home.Index"] = "sends each person on to their start page, showing nothing itself",
        ["Manage.*"] = "the signed-in person's own account",
        ["Staff.*"] = "staff accounts, no patient",
        ["ConsentTemplates.*"] = "consent wording; previews are filled in with a made-up patient",
        ["Patients.Create"] = "an empty form for a new patient",
        ["Outcomes.Index"] = "counts and shares over all cases; no patient is named or listed (its view is recorded without one)",
        ["Research.Index"] = "the number of injected cases and the two download forms; the downloads are POSTs, each audited",
    };

    private sealed record Sample(string Url, Guid? Patient);

    [Fact]
    public async Task EveryPageThatShowsPatientDataWritesExactlyOneAuditEntryNamingItsPatients()
    {
        var samples = await SamplesAsync();
        using var clinician = samples.Clinician;
        using var administrator = await factory.SignedInAsync(Roles.Administrator);

        var pages = ControllerRoute.All(factory.Services)
            .Where(r => r.Methods.Contains("GET") && !r.Endpoint.Metadata.OfType<IAllowAnonymous>().Any())
            .Select(r => (Route: r, Name: $"{r.Action.ControllerName}.{r.Action.ActionName}"))
            .Where(p => !ShowNoPatientData.ContainsKey(p.Name) && !ShowNoPatientData.ContainsKey($"{p.Route.Action.ControllerName}.*"))
            .DistinctBy(p => p.Name).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var missing = pages.Where(p => !samples.Pages.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        Assert.True(missing.Count == 0, $"These pages are new: give each a record to open in this test (and record its view): {string.Join(", ", missing)}");

        var names = await factory.QueryAsync(db => db.Patients.Select(p => p.FamilyName).ToListAsync());
        var failures = new List<string>();
        foreach (var (route, name) in pages)
        {
            var sample = samples.Pages[name];
            var onlyAdministrators = route.Endpoint.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy == Startup.AdministrationPolicy);
            var session = onlyAdministrators ? administrator : clinician;
            var before = await CountAsync();
            using var response = await session.Client.GetAsync(sample.Url);
            var after = await CountAsync();
            var entry = await NewestAsync();
            output.WriteLine($"{name} {sample.Url}: {(int)response.StatusCode}, {after - before} entries, {entry.Action} {entry.Entity}");
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Redirect) || response.Headers.Location?.OriginalString.Contains("/Account/") == true)
                failures.Add($"{name}: answered {(int)response.StatusCode} {response.Headers.Location}");
            else if (after - before != 1)
                failures.Add($"{name}: wrote {after - before} audit entries, not one");
            else if (sample.Patient is { } patient && entry.PatientId != patient)
                failures.Add($"{name}: the entry names patient {entry.PatientId}, not {patient}");
            else if (sample.Patient is null && !(entry.NewValues ?? "").Contains("\"Patients\":[\"", StringComparison.Ordinal))
                failures.Add($"{name}: a list's entry does not name the patients it listed: {entry.NewValues}");
            else if (names.FirstOrDefault(n => (entry.NewValues ?? "").Contains(n, StringComparison.OrdinalIgnoreCase)) is { } named)
                failures.Add($"{name}: the entry holds a patient's name ({named})");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(pages.Count >= 25, $"only {pages.Count} pages found");
    }

    [Fact]
    public async Task TheDashboardRecordsEveryViewWithItsPatientsThoughItsWorkListsAreKept()
    {
        var samples = await SamplesAsync();
        using var clinician = samples.Clinician;
        var everyone = "/Dashboard?all=true";
        await clinician.GetAsync(everyone);
        for (var i = 0; i < 3; i++)
        {
            var before = await CountAsync();
            Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync(everyone)).Status);
            Assert.Equal(before + 1, await CountAsync());
            var entry = await NewestAsync();
            Assert.Equal((AuditAction.Viewed, AuditReads.ListPages.Dashboard), (entry.Action, entry.Entity));
            // Those on the work lists too (an open adverse event of the demo clinic), not only the page of cases: written
            // once as a kept list, which each view names.
            using var details = System.Text.Json.JsonDocument.Parse(entry.NewValues!);
            var kept = details.RootElement.GetProperty("Kept").GetString();
            var list = await factory.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Entity == AuditReads.ListPages.KeptList && e.EntityId == kept));
            Assert.Contains(samples.OpenEventPatient.ToString(), list.NewValues);
            Assert.True(list.Sequence < entry.Sequence);
            Assert.True(details.RootElement.GetProperty("Patients").GetArrayLength() > 0);
        }
    }

    [Fact]
    public async Task AFormThatComesBackWithAProblemRecordsItsPageOnceMore()
    {
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose);
        using var _ = clinician;
        var patientId = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync());

        // Its own page: the questionnaire sent empty comes back with the message.
        var koos = await clinician.GetAsync($"/Procedures/BaselineKoos/{caseId}");
        var before = await CountAsync();
        var refused = await clinician.SubmitAsync(koos, "#baseline-koos-form");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.NotEmpty(refused.Errors);
        Assert.Equal(before + 1, await CountAsync());
        Assert.Equal((AuditAction.Viewed, patientId), ((await NewestAsync()).Action, (await NewestAsync()).PatientId));

        // A step of the case page: the case page again, read afresh.
        var screening = await clinician.GetAsync($"/Cases/Screening/{caseId}");
        before = await CountAsync();
        var again = await clinician.SubmitAsync(screening, $"form[action$='/Screening/Checkup/{caseId}']", Fields(("Checkup.BaselinePainNrs", "11")));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.NotEmpty(again.Errors);
        Assert.Equal(before + 1, await CountAsync());
        var entry = await NewestAsync();
        Assert.Equal((AuditAction.Viewed, nameof(Case), patientId), (entry.Action, entry.Entity, entry.PatientId));
    }

    [Fact]
    public async Task ASearchRecordsThePatientsItFoundNotTheWordsSearchedFor()
    {
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose, givenName: "Quentin", familyName: "Searchable");
        using var _ = clinician;
        var patientId = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync());

        var before = await CountAsync();
        var found = await clinician.SubmitAsync(await clinician.GetAsync("/Patients"), "#patient-search", Fields(("Name", "Searchable")));
        Assert.Contains("Searchable", found.Text);
        Assert.Equal(before + 2, await CountAsync()); // the list opened, then the search

        var entry = await NewestAsync();
        Assert.Equal((AuditAction.Viewed, AuditReads.ListPages.Patients), (entry.Action, entry.Entity));
        Assert.Equal($"{{\"Patients\":[\"{patientId}\"]}}", entry.NewValues);
        Assert.Null(entry.PatientId);

        // A search that fails its checks shows no one, and records nothing.
        before = await CountAsync();
        var refused = await clinician.SubmitAsync(await clinician.GetAsync("/Patients"), "#patient-search", Fields(("Name", "12 34")));
        Assert.NotEmpty(refused.Errors);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task TheAuditViewerRecordsItsOwnPagesWithTheFilterByIds()
    {
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose, givenName: "Vera", familyName: "Viewerson");
        using var _ = clinician;
        var (patientId, mrn) = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new ValueTuple<Guid, string>(p.Id, p.Mrn.Value)).SingleAsync());
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        var before = await CountAsync();
        var filtered = await admin.SubmitAsync(await admin.GetAsync("/Audit"), "#audit-filter", Fields(("Mrn", mrn)));
        Assert.NotEmpty(filtered.Document.QuerySelectorAll("#audit-entries tbody tr"));
        Assert.Equal(before + 2, await CountAsync());
        var entry = await NewestAsync();
        Assert.Equal((AuditAction.Viewed, AuditReads.ListPages.AuditTrail), (entry.Action, entry.Entity));
        Assert.Contains($"\"Patients\":[\"{patientId}\"]", entry.NewValues);
        Assert.Contains($"\"PatientId\":\"{patientId}\"", entry.NewValues);
        Assert.DoesNotContain(mrn, entry.NewValues);
    }

    [Fact]
    public async Task PatientDataIsHiddenInTheViewerAndRevealedOnlyWithAReasonThatIsRecorded()
    {
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose, givenName: "Rhiannon", familyName: "Revealwell");
        using var _ = clinician;
        var (patientId, mrn) = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new ValueTuple<Guid, string>(p.Id, p.Mrn.Value)).SingleAsync());
        await factory.QueryAsync(async db =>
        {
            var patient = await db.Patients.SingleAsync(p => p.Id == patientId);
            patient.Update(patient.GivenName, patient.FamilyName, patient.DateOfBirth, patient.Sex, "+1 555 0177", null, "Prefers mornings");
            return await db.SaveChangesAsync();
        });
        var change = await factory.QueryAsync(db => db.AuditEntries.Where(e => e.PatientId == patientId && e.Entity == "Patient" && e.Action == AuditAction.Updated)
            .SingleAsync());
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        // The list: the field's name and that it changed, never the value; the record's own fields that are not patient data stay.
        var trail = await admin.SubmitAsync(await admin.GetAsync("/Audit"), "#audit-filter", Fields(("Mrn", mrn)));
        var list = trail.Document.QuerySelector("#audit-entries")!.TextContent;
        foreach (var value in new[] { "+1 555 0177", "Prefers mornings", "Rhiannon", "Revealwell", "1961-03-14" })
            Assert.DoesNotContain(value, list);
        var row = trail.Document.QuerySelectorAll("#audit-entries tbody tr").Single(r => r.QuerySelector("td")!.TextContent.Trim() == change.Sequence.ToString());
        Assert.Equal(["Notes: changed", "Phone: changed"], row.QuerySelectorAll("li.audit-hidden").Select(li => Words(li.TextContent)).Order());
        var created = trail.Document.QuerySelectorAll("#audit-entries tbody tr").First(r => r.TextContent.Contains("Created") && r.QuerySelector(".audit-record")!.TextContent.Trim() == "Patient");
        Assert.Contains(mrn, created.QuerySelector(".audit-values")!.TextContent); // the MRN is how the trail names a patient
        Assert.Contains("Given name: recorded", Words(created.QuerySelector(".audit-values")!.TextContent));

        // The entry's page: hidden still, with the form; it is itself recorded.
        var before = await CountAsync();
        var entryPage = await admin.GetAsync($"/Audit/Entry/{change.Sequence}");
        Assert.Equal(HttpStatusCode.OK, entryPage.Status);
        Assert.DoesNotContain("+1 555 0177", Shown(entryPage));
        Assert.Equal(before + 1, await CountAsync());

        // No reason, or too short a one: the page again with the message, and no values.
        Assert.Contains("Phone changed", Words(entryPage.Document.QuerySelector("#audit-entry-values")!.TextContent));
        foreach (var (reason, message) in new[] { ("", "Give the reason you need to see these values."), ("   ", "Give the reason you need to see these values."),
            ("because", "Write the reason in a few words: at least 10 characters.") })
        {
            var refused = await admin.SubmitAsync(entryPage, "#reveal-form", Fields(("Reveal.Reason", reason)));
            Assert.Equal(HttpStatusCode.OK, refused.Status);
            Assert.Contains(message, refused.Errors);
            Assert.NotNull(refused.Document.QuerySelector("#reveal-form"));
            Assert.DoesNotContain("+1 555 0177", Shown(refused));
            Assert.DoesNotContain("Prefers mornings", Shown(refused));
        }
        Assert.Empty(await factory.QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditAction.Revealed).ToListAsync()));

        // With a reason: the values of this entry, and the reveal recorded with who, which entry and why.
        var revealed = await admin.SubmitAsync(entryPage, "#reveal-form", Fields(("Reveal.Reason", "Patient complaint 2291: checking who changed the phone")));
        Assert.Equal(HttpStatusCode.OK, revealed.Status);
        Assert.Contains("+1 555 0177", Shown(revealed));
        Assert.Contains("Prefers mornings", Shown(revealed));
        var reveal = await NewestAsync();
        Assert.Equal((AuditAction.Revealed, AuditReads.ListPages.AuditEntry, change.Sequence.ToString()), (reveal.Action, reveal.Entity, reveal.EntityId));
        Assert.Equal(patientId, reveal.PatientId);
        Assert.StartsWith("administrator-", reveal.UserName);
        Assert.Contains("Patient complaint 2291: checking who changed the phone", reveal.NewValues);

        // Only that entry: the list and the export still hide the values.
        var again = await admin.SubmitAsync(await admin.GetAsync("/Audit"), "#audit-filter", Fields(("Mrn", mrn)));
        Assert.DoesNotContain("+1 555 0177", again.Document.QuerySelector("#audit-entries")!.TextContent);
        var token = again.Document.QuerySelector("#audit-filter input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var export = await admin.Client.PostAsync("/Audit/Export", new FormUrlEncodedContent([new("Mrn", mrn), new("__RequestVerificationToken", token)]));
        var csv = await export.Content.ReadAsStringAsync();
        Assert.Contains(change.Sequence.ToString(), csv);
        Assert.DoesNotContain("+1 555 0177", csv);
        Assert.DoesNotContain("Revealwell", csv);
    }

    [Fact]
    public void ThePatientDataFieldsAreMarkedOnTheModel()
    {
        foreach (var field in new[] { "Patient.GivenName", "Patient.FamilyName", "Patient.DateOfBirth", "Patient.Phone", "Patient.Email", "Patient.Notes",
            "CaseScreening.MedicalHistory", "CaseScreening.CheckupNotes", "Medication.Name", "ImagingStudy.Findings", "FollowUpVisit.Notes",
            "AdverseEvent.Description", "ConsentSignature.RepresentativeName", "ConsentDocument.AccessibleHtml", "HarvestRecord.Complications" })
            Assert.Contains(field, PatientData.Fields);
        Assert.DoesNotContain("Patient.Mrn", PatientData.Fields);
        Assert.DoesNotContain(PatientData.Fields, f => f.StartsWith("ClinicUser.", StringComparison.Ordinal));
    }

    /// <summary>The page's text as a person reads it (the HTML encodes some characters, such as "+").</summary>
    private static string Shown(Page page) => page.Document.Body!.TextContent;

    private static string Words(string text) => string.Join(" ", text.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The entries of the trail, but for kept lists: a list written once for the views that name it is not a view.</summary>
    private Task<int> CountAsync() => factory.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Entity != AuditReads.ListPages.KeptList));

    private Task<AuditEntry> NewestAsync() => factory.QueryAsync(db => db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync());

    private sealed record Samples(WebSession Clinician, Dictionary<string, Sample> Pages, Guid OpenEventPatient);

    /// <summary>
    /// Besides the demo clinic, a case with a short-form consent printed; and a record for each page to open, with the
    /// patient each is about (null for a list).
    /// </summary>
    private async Task<Samples> SamplesAsync()
    {
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose);
        var generated = await clinician.SubmitAsync(await clinician.GetAsync($"/Cases/Consent/{caseId}"), "#generate-consent",
            Fields(("Consent.Language", "en"), ("Consent.ShortFormLanguage", "fr")));
        Assert.Equal(HttpStatusCode.Redirect, generated.Status);

        return await factory.QueryAsync(async db =>
        {
            var patientOf = await db.Cases.ToDictionaryAsync(c => c.Id, c => c.PatientId);
            var patient = patientOf[caseId];
            var printed = await db.ConsentDocuments.AsNoTracking().SingleAsync(d => d.CaseId == caseId);
            var signed = await db.ConsentDocuments.AsNoTracking().FirstAsync(d => d.Signature != null);
            var product = await db.CellProducts.AsNoTracking().FirstAsync();
            var visit = await db.FollowUpVisits.AsNoTracking().FirstAsync(v => v.Status == VisitStatus.Scheduled
                && db.Cases.Any(c => c.Id == v.CaseId && c.Stage != CaseStage.Closed));
            var openEvent = await db.AdverseEvents.AsNoTracking().FirstAsync(e => e.Outcome == AdverseEventOutcome.Ongoing);
            var entry = await db.AuditEntries.AsNoTracking().Where(e => e.PatientId == patient).OrderBy(e => e.Sequence).FirstAsync();
            var pages = new Dictionary<string, Sample>
            {
                ["Dashboard.Index"] = new("/Dashboard", null),
                ["Patients.Index"] = new("/Patients", null),
                ["ConsentRecords.Index"] = new("/ConsentRecords", null),
                ["Audit.Index"] = new("/Audit", null),
                ["Audit.Entry"] = new($"/Audit/Entry/{entry.Sequence}", patient),
                ["Patients.Details"] = new($"/Patients/Details/{patient}", patient),
                ["Patients.Edit"] = new($"/Patients/Edit/{patient}", patient),
                ["Cases.Create"] = new($"/Cases/Create?patientId={patient}", patient),
                ["Procedures.BaselineKoos"] = new($"/Procedures/BaselineKoos/{caseId}", patient),
                ["Procedures.Label"] = new($"/Procedures/Label/{product.Id}", patientOf[product.CaseId]),
                ["Procedures.Visit"] = new($"/Procedures/Visit/{visit.Id}", patientOf[visit.CaseId]),
                ["Procedures.UpdateAdverseEvent"] = new($"/Procedures/UpdateAdverseEvent/{openEvent.Id}", patientOf[openEvent.CaseId]),
                ["Consents.Sign"] = new($"/Consents/Sign/{printed.Id}", patient),
                ["Consents.Download"] = new($"/Consents/Download/{printed.Id}", patient),
                ["Consents.Accessible"] = new($"/Consents/Accessible/{printed.Id}", patient),
                ["Consents.ShortForm"] = new($"/Consents/ShortForm/{printed.Id}", patient),
                ["Consents.Scan"] = new($"/Consents/Scan/{signed.Id}", patientOf[signed.CaseId]),
                ["Consents.Verify"] = new($"/Consents/Verify/{printed.DocumentNumber.Value}", patient),
            };
            foreach (var step in new[] { "Details", "Screening", "Consent", "Product", "TimeOut", "Injection", "FollowUp", "AdverseEvents", "Close" })
                pages[$"Cases.{step}"] = new($"/Cases/{step}/{caseId}", patient);
            return new Samples(clinician, pages, patientOf[openEvent.CaseId]);
        });
    }
}
