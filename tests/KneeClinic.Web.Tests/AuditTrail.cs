using System.Net;
using System.Text;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The audit trail on the migrated database, through the real forms: what each audited action writes, the
/// database refusing to change or delete an entry, "Verify the chain" finding an entry edited in the file, a
/// failed audit write taking its change down with it, and the administrator's viewer and export.
/// </summary>
public sealed class AuditTrail(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    private static readonly byte[] PdfScan = [.. "%PDF-1.4\n% scanned signed form\n"u8, .. new byte[500]];

    private Task<List<AuditEntry>> EntriesAsync(Func<AuditEntry, bool> match) =>
        factory.QueryAsync(async db => (await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync()).Where(match).ToList());

    private SqliteConnection OpenFile()
    {
        var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task SignInsFailuresLockoutsAndSignOutsAreAuditedUnderTheAccountTheyConcern()
    {
        var email = $"audited-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();

        await session.LogInAsync(email, "not the password at all");
        await session.LogInAsync(email, ClinicFactory.Password);
        await session.SubmitAsync(await session.GetAsync("/Manage"), "form[action='/Account/Logout']");
        for (var i = 0; i < 5; i++) await session.LogInAsync(email, "still not the password");

        var entries = await EntriesAsync(e => e.Entity == "Account" && e.EntityId == user.Id);
        Assert.Equal([AuditAction.SignInFailed, AuditAction.SignedIn, AuditAction.SignedOut,
            AuditAction.SignInFailed, AuditAction.SignInFailed, AuditAction.SignInFailed, AuditAction.SignInFailed, AuditAction.LockedOut],
            entries.Select(e => e.Action));
        var failure = entries[0];
        Assert.Equal("anonymous", failure.UserName);
        Assert.Null(failure.UserId);
        Assert.Contains(email, failure.NewValues);
        Assert.Equal(user.Id, entries[1].UserId);
        Assert.Equal(email, entries[1].UserName);
        Assert.DoesNotContain(entries, e => (e.NewValues ?? "").Contains("password at all"));

        // An attempt on an address that has no account is recorded too, with what was typed.
        await session.LogInAsync("nobody-here@clinic.test", "whatever it may be");
        Assert.Single(await EntriesAsync(e => e.Action == AuditAction.SignInFailed && (e.NewValues ?? "").Contains("nobody-here@clinic.test") && e.EntityId == ""));
    }

    [Fact]
    public async Task AnEntryCarriesTheAddressOfTheClientThatMadeTheRequest()
    {
        // A real server on loopback, so the connection has a real remote address.
        await using var clinic = new Browser.BrowserClinicFactory();
        var email = $"address-{Guid.NewGuid():N}@clinic.test";
        await clinic.CreateUserAsync(email, Roles.Clinician);
        using var session = new WebSession(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        { BaseAddress = clinic.Address });

        Assert.Equal(HttpStatusCode.Redirect, (await session.LogInAsync(email, ClinicFactory.Password)).Status);

        var signedIn = await clinic.QueryAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditAction.SignedIn));
        Assert.Equal(email, signedIn.UserName);
        Assert.Equal("127.0.0.1", signedIn.ClientAddress);
    }

    [Fact]
    public async Task ViewingThePatientAndCasePagesAndDownloadingTheConsentAndScanAreAuditedWithThePatient()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        var patientId = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync());

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/Patients/Details/{patientId}")).Status);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        await session.SubmitAsync(casePage, "#generate-consent", Fields(("Consent.Language", "en")));
        var documentId = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.CaseId == caseId).Select(d => d.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync($"/Consents/Download/{documentId}")).Status);
        var sign = await session.GetAsync($"/Consents/Sign/{documentId}");
        var signed = await session.UploadAsync(sign, "form[enctype='multipart/form-data']", Fields(
            ("Form.SignedAt", factory.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm")), ("Form.TeachBackConfirmed", "true")),
            "Form.Scan", "scan.pdf", PdfScan, "application/pdf");
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        var scan = await session.GetAsync($"/Consents/Scan/{documentId}");
        Assert.Equal(HttpStatusCode.OK, scan.Status);
        Assert.Equal("inline", scan.Response.Content.Headers.ContentDisposition?.DispositionType);

        var trail = await EntriesAsync(e => e.PatientId == patientId);
        Assert.Contains(trail, e => e is { Action: AuditAction.Viewed, Entity: nameof(Patient) } && e.EntityId == patientId.ToString());
        Assert.Contains(trail, e => e is { Action: AuditAction.Viewed, Entity: nameof(Case) } && e.EntityId == caseId.ToString());
        Assert.Contains(trail, e => e.Action == AuditAction.Downloaded && e.EntityId == documentId.ToString() && e.NewValues!.Contains("consent PDF"));
        Assert.Contains(trail, e => e.Action == AuditAction.Downloaded && e.EntityId == documentId.ToString() && e.NewValues!.Contains("signed scan"));
        // The changes made on the case are found under the patient too: the consent form and the case's stage.
        Assert.Contains(trail, e => e is { Action: AuditAction.Created, Entity: "ConsentDocument" });
        Assert.Contains(trail, e => e is { Action: AuditAction.Updated, Entity: nameof(Case) });
        Assert.All(trail.Where(e => e.Action is AuditAction.Viewed or AuditAction.Downloaded), e => Assert.StartsWith("clinician-", e.UserName));
    }

    [Fact]
    public async Task RoleChangesDisablingAndTwoFactorChangesAreAudited()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var email = $"managed-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);

        var edit = await admin.GetAsync($"/Staff/Edit/{user.Id}");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(edit, "form[action^='/Staff/Edit']", Fields(("Administrator", "true"), ("Clinician", null)))).Status);
        await admin.SubmitAsync(await admin.SubmitAsync(await admin.GetAsync("/Staff"), $"form[action='/Staff/Disable/{user.Id}']"), "#confirm-disable");
        await admin.SubmitAsync(await admin.GetAsync("/Staff"), $"form[action='/Staff/Enable/{user.Id}']");

        using var own = factory.Session();
        await own.LogInAsync(email, ClinicFactory.Password);
        var setup = await own.GetAsync("/Manage/EnableAuthenticator");
        var key = setup.Document.QuerySelector("kbd")!.TextContent;
        await own.SubmitAsync(setup, "form[action='/Manage/EnableAuthenticator']", Fields(("Code", Totp.Code(key, DateTimeOffset.UtcNow))));
        var confirm = await own.GetAsync("/Manage/Confirm");
        await own.SubmitAsync(confirm, "form[action='/Manage/Confirm']", Fields(("Password", ClinicFactory.Password)));
        await own.SubmitAsync(await own.GetAsync("/Manage"), "form[action='/Manage/DisableTwoFactor']");

        var roles = await EntriesAsync(e => e.Entity == "UserRole" && e.EntityId.StartsWith(user.Id));
        Assert.Contains(roles, e => e.Action == AuditAction.Created);
        Assert.Contains(roles, e => e.Action == AuditAction.Deleted);
        var account = await EntriesAsync(e => e.Entity == nameof(ClinicUser) && e.EntityId == user.Id && e.Action == AuditAction.Updated);
        Assert.Contains(account, e => e.NewValues!.Contains("\"DisabledAt\":\""));
        Assert.Contains(account, e => e.NewValues!.Contains("\"DisabledAt\":null"));
        var twoFactor = await EntriesAsync(e => e.Entity == "Account" && e.EntityId == user.Id);
        Assert.Contains(twoFactor, e => e.Action == AuditAction.TwoFactorEnabled && e.UserId == user.Id);
        Assert.Contains(twoFactor, e => e.Action == AuditAction.TwoFactorDisabled && e.UserId == user.Id);
        // The administrator's edit: the administrator role given, the clinician role taken away.
        Assert.Equal([AuditAction.Created, AuditAction.Deleted],
            roles.Where(e => e.UserName!.StartsWith("administrator-")).Select(e => e.Action).Order());
    }

    [Fact]
    public async Task TheDatabaseRefusesToChangeOrDeleteAnAuditEntry()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        using var connection = OpenFile();

        var update = Assert.Throws<SqliteException>(() => Execute(connection, "UPDATE AuditEntries SET UserName = 'someone else'"));
        Assert.Contains("append-only", update.Message);
        var delete = Assert.Throws<SqliteException>(() => Execute(connection, "DELETE FROM AuditEntries"));
        Assert.Contains("append-only", delete.Message);
        Assert.True(await factory.QueryAsync(db => db.AuditEntries.AnyAsync()));
    }

    [Fact]
    public async Task AnEntryEditedInTheDatabaseFileIsReportedByVerifyTheChain()
    {
        // A clinic of its own: this test leaves its database tampered with.
        await using var clinic = new ClinicFactory();
        using var admin = await clinic.SignedInAsync(Roles.Administrator);
        using var clinician = await clinic.SignedInAsync(Roles.Clinician);
        var created = await clinician.SubmitAsync(await clinician.GetAsync("/Patients/Create"), "form[action='/Patients/Create']", Fields(
            ("Mrn", "AUD-1"), ("GivenName", "Audrey"), ("FamilyName", "Trail"), ("DateOfBirth", "1955-05-05"), ("Sex", "Female")));
        var patientId = created.Location!.Split('/').Last();
        await clinician.GetAsync($"/Patients/Details/{patientId}");

        var intact = await admin.SubmitAsync(await admin.GetAsync("/Audit"), "#verify-chain");
        Assert.Contains("The chain is intact", intact.Document.QuerySelector("#chain-result")!.TextContent);

        // Someone with the file drops the trigger and rewrites who created the patient.
        var target = await clinic.QueryAsync(db => db.AuditEntries
            .Where(e => e.Entity == nameof(Patient) && e.EntityId == patientId && e.Action == AuditAction.Created).Select(e => e.Sequence).SingleAsync());
        using (var connection = new SqliteConnection($"Data Source={clinic.DatabaseFile};Pooling=False"))
        {
            connection.Open();
            Execute(connection, "DROP TRIGGER AuditEntries_RefuseUpdate");
            Execute(connection, $"UPDATE AuditEntries SET UserName = 'somebody.else@clinic.test' WHERE Sequence = {target}");
        }

        var broken = await admin.SubmitAsync(await admin.GetAsync("/Audit"), "#verify-chain");
        var result = broken.Document.QuerySelector("#chain-result")!.TextContent;
        output.WriteLine(result.Trim());
        Assert.Contains($"The chain is broken at entry {target}.", result);
        Assert.Contains("was changed after it was written", result);
        // The check itself is on the record, with what it found.
        var checks = await clinic.QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditAction.ChainVerified).Select(e => e.NewValues!).ToListAsync());
        Assert.Contains(checks, c => c.Contains($"\"BrokenAt\":{target}"));
        Assert.Contains(checks, c => c.Contains("\"Intact\":true"));

        // Values that are not even the app's JSON any more are shown as stored; the viewer still opens.
        using (var connection = new SqliteConnection($"Data Source={clinic.DatabaseFile};Pooling=False"))
        {
            connection.Open();
            Execute(connection, $"UPDATE AuditEntries SET NewValues = '{{\"GivenName\": <b>broken' WHERE Sequence = {target}");
        }
        var viewer = await admin.GetAsync("/Audit");
        Assert.Equal(HttpStatusCode.OK, viewer.Status);
        Assert.Contains("(as stored)", viewer.Text);
        Assert.DoesNotContain("<b>broken", viewer.Text);
    }

    [Fact]
    public async Task AFailureWritingTheAuditEntryRollsBackTheChangeItDescribes()
    {
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        var created = await clinician.SubmitAsync(await clinician.GetAsync("/Patients/Create"), "form[action='/Patients/Create']", Fields(
            ("Mrn", $"RB-{Guid.NewGuid():N}"[..12]), ("GivenName", "Rollo"), ("FamilyName", "Back"), ("DateOfBirth", "1950-01-01"), ("Sex", "Male")));
        var patientId = Guid.Parse(created.Location!.Split('/').Last());
        var edit = await clinician.GetAsync($"/Patients/Edit/{patientId}");

        // The audit table refuses the next entry about a patient update, as a full disk or a broken index would.
        using (var connection = OpenFile())
            Execute(connection, """
                CREATE TRIGGER AuditEntries_FailForTest BEFORE INSERT ON AuditEntries WHEN NEW.Entity = 'Patient' AND NEW.Action = 'Updated'
                BEGIN SELECT RAISE(ABORT, 'audit write failed'); END;
                """);
        WebSession.Page saved;
        try
        {
            saved = await clinician.SubmitAsync(edit, "form[action^='/Patients/Edit']", Fields(("FamilyName", "Changed Without Audit")));
        }
        finally
        {
            using var connection = OpenFile();
            Execute(connection, "DROP TRIGGER AuditEntries_FailForTest");
        }

        Assert.Equal(HttpStatusCode.InternalServerError, saved.Status);
        Assert.DoesNotContain("audit write failed", saved.Text);
        Assert.DoesNotContain("Exception", saved.Text);
        Assert.Equal("Back", await factory.QueryAsync(db => db.Patients.Where(p => p.Id == patientId).Select(p => p.FamilyName).SingleAsync()));
        Assert.Empty(await EntriesAsync(e => e.EntityId == patientId.ToString() && e.Action == AuditAction.Updated));
    }

    [Fact]
    public async Task TheAdministratorFiltersTheTrailByUserPatientRecordActionAndDateWithoutPatientDataInTheAddress()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose, givenName: "Filippa", familyName: "Filter");
        var (patientId, mrn) = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new ValueTuple<Guid, string>(p.Id, p.Mrn.Value)).SingleAsync());
        await clinician.GetAsync($"/Patients/Details/{patientId}");
        await clinician.GetAsync($"/Cases/Details/{caseId}");
        var clinicianId = (await EntriesAsync(e => e.Action == AuditAction.Viewed && e.PatientId == patientId)).First().UserId;

        var page = await admin.GetAsync("/Audit");
        var byPatient = await admin.SubmitAsync(page, "#audit-filter", Fields(("Mrn", mrn), ("Operation", "Viewed")));
        Assert.Equal(HttpStatusCode.OK, byPatient.Status);
        Assert.Equal("/Audit", byPatient.Url);
        var rows = byPatient.Document.QuerySelectorAll("#audit-entries tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.Contains(mrn, r.TextContent));
        Assert.Contains("2 entries", byPatient.Document.QuerySelector("#audit-total")!.TextContent);

        var byUser = await admin.SubmitAsync(page, "#audit-filter", Fields(("UserId", clinicianId), ("Entity", nameof(Case))));
        Assert.All(byUser.Document.QuerySelectorAll("#audit-entries tbody tr"), r => Assert.Contains("clinician-", r.TextContent));
        Assert.NotEmpty(byUser.Document.QuerySelectorAll("#audit-entries tbody tr"));

        var today = factory.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd");
        var tomorrow = factory.Clock.GetUtcNow().UtcDateTime.AddDays(1).ToString("yyyy-MM-dd");
        Assert.NotEmpty((await admin.SubmitAsync(page, "#audit-filter", Fields(("From", today), ("To", today)))).Document.QuerySelectorAll("#audit-entries tbody tr"));
        Assert.Empty((await admin.SubmitAsync(page, "#audit-filter", Fields(("From", tomorrow)))).Document.QuerySelectorAll("#audit-entries tbody tr"));

        var unknown = await admin.SubmitAsync(page, "#audit-filter", Fields(("Mrn", "NO-SUCH-MRN")));
        Assert.Contains("No patient has this MRN.", unknown.Errors);
        var backwards = await admin.SubmitAsync(page, "#audit-filter", Fields(("From", tomorrow), ("To", today)));
        Assert.Contains("The end date is before the start date.", backwards.Errors);
        var badAction = await admin.SubmitAsync(page, "#audit-filter", Fields(("Operation", "Teleported")));
        Assert.Equal(HttpStatusCode.OK, badAction.Status);
        Assert.NotEmpty(badAction.Errors);
    }

    [Fact]
    public async Task TheViewerNamesRecordsAndFieldsInWordsLinksToTheRecordsAndFoldsTheValues()
    {
        // An administrator who is also a clinician, so the clinical pages the entries link to are theirs to open.
        var email = $"administrator-clinician-{Guid.NewGuid():N}@clinic.test";
        await factory.CreateUserAsync(email, Roles.Administrator, Roles.Clinician);
        using var admin = factory.Session();
        await admin.LogInAsync(email, ClinicFactory.Password);
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow, givenName: "Nora", familyName: "Names");
        var (patientId, mrn) = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId)
            .Join(db.Patients, c => c.PatientId, p => p.Id, (c, p) => new ValueTuple<Guid, string>(p.Id, p.Mrn.Value)).SingleAsync());
        await clinician.GetAsync($"/Cases/Details/{caseId}");
        await factory.QueryAsync(async db =>
        {
            var patient = await db.Patients.SingleAsync(p => p.Id == patientId);
            patient.Update(patient.GivenName, patient.FamilyName, patient.DateOfBirth, patient.Sex, "+1 555 0100", null, null);
            return await db.SaveChangesAsync();
        });

        var page = await admin.GetAsync("/Audit");
        var trail = await admin.SubmitAsync(page, "#audit-filter", Fields(("Mrn", mrn)));
        var rows = trail.Document.QuerySelectorAll("#audit-entries tbody tr");
        Assert.NotEmpty(rows);

        // Record types in words, each linked to its page; no identifier shown as text.
        var records = trail.Document.QuerySelectorAll("#audit-entries .audit-record").Select(c => c.TextContent.Trim()).ToList();
        Assert.Contains("Patient", records);
        Assert.Contains("Case", records);
        Assert.Contains("Screening", records);
        Assert.Contains("Imaging study", records);
        Assert.DoesNotContain(records, r => System.Text.RegularExpressions.Regex.IsMatch(r, "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}"));
        Assert.DoesNotContain("CaseScreening", trail.Document.QuerySelector("#audit-entries")!.TextContent);
        string?[] LinksNamed(string name) => [.. trail.Document.QuerySelectorAll("#audit-entries .audit-record a")
            .Where(a => a.TextContent.Trim() == name).Select(a => a.GetAttribute("href"))];
        Assert.Contains($"/Cases/Details/{caseId}", LinksNamed("Case"));
        Assert.All(LinksNamed("Screening"), href => Assert.Equal($"/Cases/Details/{caseId}", href));
        Assert.Contains($"/Patients/Details/{patientId}", LinksNamed("Patient"));
        Assert.All(rows, r => Assert.Equal($"/Patients/Details/{patientId}", r.QuerySelector(".audit-patient a")!.GetAttribute("href")));
        Assert.All(rows, r => Assert.Equal(mrn, r.QuerySelector(".audit-patient a")!.TextContent));

        // The values are folded under a count; field names read as words.
        var created = rows.Single(r => r.QuerySelector(".audit-record")!.TextContent.Trim() == "Patient" && r.TextContent.Contains("Created"));
        var folded = created.QuerySelector("details")!;
        Assert.False(folded.HasAttribute("open"));
        var fields = folded.QuerySelectorAll("li strong").Select(f => f.TextContent).ToList();
        Assert.Equal($"{fields.Count} fields recorded", folded.QuerySelector("summary")!.TextContent);
        Assert.Contains("Date of birth", fields);
        Assert.Contains("MRN", fields);
        Assert.Contains("Given name", fields);
        Assert.DoesNotContain("DateOfBirth", fields);
        var changed = rows.Single(r => r.QuerySelector(".audit-record")!.TextContent.Trim() == "Patient" && r.TextContent.Contains("Changed"));
        var changedFields = changed.QuerySelectorAll("details li strong").Select(f => f.TextContent).ToList();
        Assert.Equal(["Phone"], changedFields);
        Assert.Equal("1 field changed", changed.QuerySelector("details summary")!.TextContent);
        // A phone number is patient data: the list says it changed, not what to (see PatientDataReads for revealing it).
        Assert.Contains("changed", changed.QuerySelector("details li")!.TextContent);
        Assert.DoesNotContain("+1 555 0100", changed.QuerySelector("details")!.TextContent);

        // An administrator only is shown no link to a clinical page they could not open, but the same names and MRN.
        using var administrator = await factory.SignedInAsync(Roles.Administrator);
        var plain = await administrator.SubmitAsync(await administrator.GetAsync("/Audit"), "#audit-filter", Fields(("Mrn", mrn)));
        Assert.Equal(rows.Length, plain.Document.QuerySelectorAll("#audit-entries tbody tr").Length);
        Assert.Empty(plain.Document.QuerySelectorAll("#audit-entries .audit-record a, #audit-entries .audit-patient a"));
        Assert.All(plain.Document.QuerySelectorAll("#audit-entries .audit-patient"), p => Assert.Equal(mrn, p.TextContent.Trim()));
        Assert.Equal(records, plain.Document.QuerySelectorAll("#audit-entries .audit-record").Select(c => c.TextContent.Trim()));
        Assert.Equal(HttpStatusCode.Forbidden, (await administrator.GetAsync($"/Cases/Details/{caseId}")).Status);
    }

    [Fact]
    public async Task TheExportIsAuditedAndAFormulaInADataValueIsEscaped()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        var mrn = $"EXP-{Guid.NewGuid():N}"[..14];
        await clinician.SubmitAsync(await clinician.GetAsync("/Patients/Create"), "form[action='/Patients/Create']", Fields(
            ("Mrn", mrn), ("GivenName", "=HYPERLINK(\"http://evil.example\")"), ("FamilyName", "Export"), ("DateOfBirth", "1966-06-06"), ("Sex", "Female")));

        var page = await admin.GetAsync("/Audit");
        var form = page.Document.QuerySelector("#audit-filter")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await admin.Client.PostAsync("/Audit/Export", new FormUrlEncodedContent([new("Mrn", mrn), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFFSequence,At,UserName", csv);
        Assert.Contains(mrn.ToUpperInvariant(), csv);
        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.DoesNotContain(",\"=HYPERLINK", csv);

        var exported = Assert.Single(await EntriesAsync(e => e.Action == AuditAction.Exported && e.NewValues!.Contains("\"Rows\":")
            && e.PatientId != null && e.UserName!.StartsWith("administrator-")));
        Assert.Contains("\"Rows\":1", exported.NewValues);
    }
}
