using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>A clinician goes from a new patient to an eligibility decision through the real forms.</summary>
public sealed class ClinicalWorkflow(SqlLoggingClinicFactory factory, ITestOutputHelper output) : IClassFixture<SqlLoggingClinicFactory>
{
    private DateOnly Today => DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);

    private async Task<(WebSession Session, Guid PatientId)> NewPatientAsync(string? mrn = null)
    {
        var session = await factory.SignedInAsync(Roles.Clinician);
        var form = await session.GetAsync("/Patients/Create");
        var saved = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", mrn ?? $"MRN-{Guid.NewGuid():N}"[..20]), ("GivenName", "Zoë"), ("FamilyName", "Müller-Øvergård"),
            ("DateOfBirth", "1961-03-14"), ("Sex", "Female"), ("Phone", "+1 555 0100"), ("Email", "zoe@example.test")));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        return (session, Guid.Parse(saved.Location!.Split('/').Last()));
    }

    private async Task<WebSession.Page> NewCaseAsync(WebSession session, Guid patientId, string knee = "Left", string source = "BoneMarrow")
    {
        var form = await session.GetAsync($"/Cases/Create?patientId={patientId}");
        var opened = await session.SubmitAsync(form, "form[action='/Cases/Create']", Fields(("Knee", knee), ("CellSource", source), ("KellgrenLawrenceGrade", "2")));
        Assert.Equal(HttpStatusCode.Redirect, opened.Status);
        return await session.FollowAsync(opened);
    }

    [Fact]
    public async Task AClinicianScreensAPatientFromRegistrationToAnOverriddenEligibility()
    {
        var (session, patientId) = await NewPatientAsync();
        var patientPage = await session.GetAsync($"/Patients/Details/{patientId}");
        Assert.Contains("Müller-Øvergård, Zoë", patientPage.Text);

        var casePage = await NewCaseAsync(session, patientId);
        var caseId = Guid.Parse(casePage.Url.Split('/').Last());
        Assert.Equal("Screening", casePage.Document.QuerySelector("#case-stage")!.TextContent);
        Assert.Contains("Record the check-up.", casePage.Document.QuerySelector("#next-action")!.TextContent);

        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, "form[action$='/Screening/Checkup/" + caseId + "']", Fields(
            ("Checkup.CheckupDate", Today.AddDays(-1).ToString("yyyy-MM-dd")), ("Checkup.BaselinePainNrs", "7"),
            ("Checkup.MedicalHistory", "Medial knee pain for 3 years."))));
        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, "form[action$='/Screening/AddMedication/" + caseId + "']", Fields(
            ("Medication.Name", "Apixaban"), ("Medication.Dose", "5 mg twice daily"), ("Medication.Kind", "Anticoagulant"),
            ("Medication.PauseFrom", Today.AddDays(5).ToString("yyyy-MM-dd")), ("Medication.ResumeOn", Today.AddDays(9).ToString("yyyy-MM-dd")))));
        Assert.Contains("Anticoagulant", casePage.Document.QuerySelector("#medications .badge")!.TextContent);
        casePage = await session.FollowAsync(await session.SubmitAsync(casePage, "form[action$='/Screening/AddImaging/" + caseId + "']", Fields(
            ("Imaging.Modality", "XRay"), ("Imaging.PerformedOn", Today.AddDays(-20).ToString("yyyy-MM-dd")),
            ("Imaging.Findings", "Medial joint-space narrowing, osteophytes."), ("Imaging.KellgrenLawrenceGrade", "3"))));

        var refused = await session.SubmitAsync(casePage, "form[action$='/Screening/Decide/" + caseId + "']", Fields(("Decision.Outcome", "Eligible")));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(refused.Errors, e => e.Contains("anticoagulant therapy") && e.Contains("Eligible with override"));
        Assert.Null(await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Screening.Decision).SingleAsync()));

        var decided = await session.FollowAsync(await session.SubmitAsync(refused, "form[action$='/Screening/Decide/" + caseId + "']", Fields(
            ("Decision.Outcome", "EligibleWithOverride"), ("Decision.Reason", "Apixaban paused 5 days before, agreed with the cardiologist."))));
        Assert.Equal("Eligible", decided.Document.QuerySelector("#case-stage")!.TextContent);
        Assert.Contains("Overridden: anticoagulant therapy", decided.Document.QuerySelector("#decision-summary")!.TextContent);

        var saved = await factory.QueryAsync(db => db.Cases.SingleAsync(c => c.Id == caseId));
        Assert.Equal(CaseStage.Eligible, saved.Stage);
        Assert.Equal(3, saved.KellgrenLawrenceGrade?.Value);
        Assert.Equal(7, saved.Screening.BaselinePainNrs?.Value);
        Assert.Equal([Contraindication.AnticoagulantTherapy], saved.Screening.OverriddenContraindications);
        var clinicianId = await factory.QueryAsync(db => db.Users.Where(u => u.Id == saved.Screening.DecidedById).Select(u => u.Email).SingleAsync());
        Assert.StartsWith("clinician-", clinicianId);

        // Every change above wrote its audit entry, attributed to the clinician.
        var audit = await factory.QueryAsync(db => db.AuditEntries.Where(e => e.UserId == saved.Screening.DecidedById).ToListAsync());
        Assert.Contains(audit, e => e.Entity == "Patient" && e.Action == AuditAction.Created && e.EntityId == patientId.ToString());
        Assert.Contains(audit, e => e.Entity == "Case" && e.Action == AuditAction.Created && e.EntityId == caseId.ToString());
        Assert.Contains(audit, e => e.Entity.EndsWith("Medication") && e.Action == AuditAction.Created && e.NewValues!.Contains("Apixaban"));
        Assert.Contains(audit, e => e.Entity.EndsWith("ImagingStudy") && e.Action == AuditAction.Created);
        Assert.Contains(audit, e => e.Entity.EndsWith("CaseScreening") && e.Action == AuditAction.Updated && e.NewValues!.Contains("EligibleWithOverride"));
        Assert.Contains(audit, e => e.Entity == "Case" && e.Action == AuditAction.Updated && e.NewValues!.Contains("\"Stage\":\"Eligible\""));
        output.WriteLine($"{audit.Count} audit entries for the workflow");

        // Debug-level logs of the whole workflow, SQL included, carry no patient data.
        var lines = factory.Logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("INSERT INTO \"Patients\""));
        foreach (var phi in new[] { "Müller", "Zoë", "1961-03-14", "Apixaban", "zoe@example.test", "555 0100" })
            Assert.DoesNotContain(lines, line => line.Contains(phi));
    }

    [Fact]
    public async Task AnInvalidPatientFormComesBackWithMessagesAndSavesNothing()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var before = await factory.QueryAsync(db => db.Patients.CountAsync());
        var form = await session.GetAsync("/Patients/Create");

        var page = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", "bad mrn!"), ("GivenName", ""), ("FamilyName", new string('x', 101)),
            ("DateOfBirth", Today.AddDays(1).ToString("yyyy-MM-dd")), ("Sex", "Female"), ("Email", "not-an-email")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(Mrn.FormatMessage, page.Errors);
        Assert.Contains("The Given name field is required.", page.Errors);
        Assert.Contains(page.Errors, e => e.Contains("Family name") && e.Contains("100"));
        Assert.Contains("The Email field is not a valid e-mail address.", page.Errors);
        Assert.Equal("bad mrn!", page.Document.QuerySelector("input[name=Mrn]")!.GetAttribute("value"));
        Assert.Equal(before, await factory.QueryAsync(db => db.Patients.CountAsync()));

        var future = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", "FUTURE-1"), ("GivenName", "A"), ("FamilyName", "B"), ("DateOfBirth", Today.AddDays(1).ToString("yyyy-MM-dd")), ("Sex", "Male")));
        Assert.Contains("The date of birth must be in the past.", future.Errors);
        Assert.Equal(before, await factory.QueryAsync(db => db.Patients.CountAsync()));
    }

    [Fact]
    public async Task TheMrnIsUniqueWhateverTheCaseItIsTypedIn()
    {
        var mrn = $"DUP-{Guid.NewGuid():N}"[..12];
        var (session, _) = await NewPatientAsync(mrn);
        var form = await session.GetAsync("/Patients/Create");

        var page = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", mrn), ("GivenName", "Other"), ("FamilyName", "Person"), ("DateOfBirth", "1980-01-01"), ("Sex", "Male")));
        var otherCase = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", $" {mrn.ToLowerInvariant()} "), ("GivenName", "Other"), ("FamilyName", "Person"), ("DateOfBirth", "1980-01-01"), ("Sex", "Male")));

        Assert.Contains("Another patient already has this MRN.", page.Errors);
        Assert.Contains("Another patient already has this MRN.", otherCase.Errors);
        Assert.Equal(mrn.ToUpperInvariant(), await factory.QueryAsync(db => db.Patients.Where(p => p.Mrn == Mrn.Of(mrn)).Select(p => p.Mrn.Value).SingleAsync()));
    }

    [Fact]
    public async Task TwoClinciansEditingOnePatientGetAConflictNotALostUpdate()
    {
        var (first, patientId) = await NewPatientAsync();
        using var second = await factory.SignedInAsync(Roles.Clinician);
        var formA = await first.GetAsync($"/Patients/Edit/{patientId}");
        var formB = await second.GetAsync($"/Patients/Edit/{patientId}");

        var savedA = await first.SubmitAsync(formA, "form[action^='/Patients/Edit']", Fields(("Phone", "+1 555 0111")));
        var savedB = await second.SubmitAsync(formB, "form[action^='/Patients/Edit']", Fields(("Phone", "+1 555 0222")));

        Assert.Equal(HttpStatusCode.Redirect, savedA.Status);
        Assert.Equal(HttpStatusCode.OK, savedB.Status);
        Assert.Contains(savedB.Errors, e => e.StartsWith("Someone else saved a change"));
        Assert.Equal("+1 555 0222", savedB.Document.QuerySelector("input[name='Phone']")!.GetAttribute("value"));
        Assert.Equal("+1 555 0111", await factory.QueryAsync(db => db.Patients.Where(p => p.Id == patientId).Select(p => p.Phone).SingleAsync()));
    }

    [Fact]
    public async Task InvalidScreeningInputIsRefusedWithAMessageAndNothingIsSaved()
    {
        var (session, patientId) = await NewPatientAsync();
        var casePage = await NewCaseAsync(session, patientId);
        var caseId = casePage.Url.Split('/').Last();

        var outOfRange = await session.SubmitAsync(casePage, $"form[action$='/Screening/Checkup/{caseId}']", Fields(
            ("Checkup.CheckupDate", Today.ToString("yyyy-MM-dd")), ("Checkup.BaselinePainNrs", "11")));
        Assert.Contains("Pain is scored from 0 to 10.", outOfRange.Errors);

        var future = await session.SubmitAsync(casePage, $"form[action$='/Screening/Checkup/{caseId}']", Fields(
            ("Checkup.CheckupDate", Today.AddDays(2).ToString("yyyy-MM-dd")), ("Checkup.BaselinePainNrs", "5"),
            ("Checkup.MedicalHistory", "typed by the clinician")));
        Assert.Contains("The check-up date cannot be in the future.", future.Errors);
        Assert.Equal("typed by the clinician", future.Document.QuerySelector("textarea[name='Checkup.MedicalHistory']")!.TextContent);

        var noImaging = await session.SubmitAsync(casePage, $"form[action$='/Screening/Decide/{caseId}']", Fields(("Decision.Outcome", "Eligible")));
        Assert.Contains(noImaging.Errors, e => e.StartsWith("Record the check-up"));

        var saved = await factory.QueryAsync(db => db.Cases.SingleAsync(c => c.Id == Guid.Parse(caseId)));
        Assert.Null(saved.Screening.CheckupDate);
        Assert.Equal(CaseStage.Screening, saved.Stage);
    }

    [Fact]
    public async Task ADecisionPostedFromAStalePageIsRefused()
    {
        var (session, patientId) = await NewPatientAsync();
        var stale = await NewCaseAsync(session, patientId);
        var caseId = stale.Url.Split('/').Last();
        await session.SubmitAsync(stale, $"form[action$='/Screening/Checkup/{caseId}']", Fields(
            ("Checkup.CheckupDate", Today.ToString("yyyy-MM-dd")), ("Checkup.BaselinePainNrs", "4")));

        var page = await session.SubmitAsync(stale, $"form[action$='/Screening/AddImaging/{caseId}']", Fields(
            ("Imaging.Modality", "Mri"), ("Imaging.PerformedOn", Today.ToString("yyyy-MM-dd")), ("Imaging.Findings", "Cartilage loss.")));

        Assert.Contains(page.Errors, e => e.StartsWith("Someone else saved a change"));
        Assert.Empty((await factory.QueryAsync(db => db.Cases.SingleAsync(c => c.Id == Guid.Parse(caseId)))).Screening.Imaging);
    }

    [Fact]
    public async Task APatientCannotHaveTwoOpenCasesForTheSameKnee()
    {
        var (session, patientId) = await NewPatientAsync();
        await NewCaseAsync(session, patientId, knee: "Right");
        var form = await session.GetAsync($"/Cases/Create?patientId={patientId}");

        var page = await session.SubmitAsync(form, "form[action='/Cases/Create']", Fields(("Knee", "Right"), ("CellSource", "Adipose")));

        Assert.Contains("This patient already has an open case for the right knee.", page.Errors);
        Assert.Equal(1, await factory.QueryAsync(db => db.Cases.CountAsync(c => c.PatientId == patientId)));
    }

    [Fact]
    public async Task ClosingACaseNeedsAReasonAndStopsTheScreening()
    {
        var (session, patientId) = await NewPatientAsync();
        var casePage = await NewCaseAsync(session, patientId, source: "UmbilicalCord");
        var caseId = casePage.Url.Split('/').Last();
        Assert.Contains("Product receipt", casePage.Document.QuerySelector(".timeline")!.TextContent);

        var closePage = await session.GetAsync($"/Cases/Close/{caseId}");
        var noReason = await session.SubmitAsync(closePage, $"form[action$='/Cases/Close/{caseId}']", Fields(("Close.Reason", "")));
        Assert.Contains("The Reason for closing field is required.", noReason.Errors);

        var closed = await session.FollowAsync(await session.SubmitAsync(closePage, $"form[action$='/Cases/Close/{caseId}']",
            Fields(("Close.Reason", "Patient chose knee replacement."))));
        Assert.Equal("Closed", closed.Document.QuerySelector("#case-stage")!.TextContent);
        closed = await session.GetAsync($"/Cases/Screening/{caseId}");
        var late = await session.SubmitAsync(casePage, $"form[action$='/Screening/Checkup/{caseId}']", Fields(
            ("Checkup.CheckupDate", Today.ToString("yyyy-MM-dd")), ("Checkup.BaselinePainNrs", "4"), ("Checkup.Version", closed.Document
                .QuerySelector("input[name='Checkup.Version']")!.GetAttribute("value"))));
        Assert.Contains("This case is closed. Nothing more can be recorded on it.", late.Errors);
    }

    [Fact]
    public async Task PatientSearchFindsByNameMrnAndDateOfBirthAndPages()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var tag = Guid.NewGuid().ToString("N")[..8];
        await factory.QueryAsync(async db =>
        {
            for (var i = 0; i < 25; i++)
                db.Patients.Add(new Core.Patients.Patient(Mrn.Of($"S{tag}-{i:D2}"), $"Given{i:D2}", $"Fam{tag}", new DateOnly(1950, 1, 1).AddDays(i),
                    Core.Patients.Sex.Unknown, factory.Clock.GetUtcNow()));
            return await db.SaveChangesAsync();
        });
        var list = await session.GetAsync("/Patients");

        var byName = await session.SubmitAsync(list, "#patient-search", Fields(("Name", $"fam{tag}")));
        Assert.Contains("25 patients", byName.Text);
        Assert.Equal(20, byName.Document.QuerySelectorAll("tbody tr").Length);
        Assert.DoesNotContain(tag, byName.Url);

        var next = await session.SubmitAsync(byName, "nav[aria-label=Pages] form[data-page=Next]");
        Assert.Equal(5, next.Document.QuerySelectorAll("tbody tr").Length);
        Assert.DoesNotContain(tag, next.Url);
        Assert.NotNull(next.Document.QuerySelector("form[data-page=Next] button[disabled]"));
        Assert.Null(next.Document.QuerySelector("form[data-page=Previous] button[disabled]"));

        var byMrn = await session.SubmitAsync(list, "#patient-search", Fields(("Mrn", $"S{tag}-07")));
        Assert.Equal("Given07", byMrn.Document.QuerySelector("tbody tr td a")!.TextContent.Split(", ")[1]);
        var byMrnStart = await session.SubmitAsync(list, "#patient-search", Fields(("Mrn", $" s{tag.ToLowerInvariant()}-0")));
        Assert.Contains("10 patients", byMrnStart.Text);
        Assert.All(byMrnStart.Document.QuerySelectorAll("tbody tr"), r => Assert.Contains($"S{tag.ToUpperInvariant()}-0", r.TextContent));
        var notAnMrn = await session.SubmitAsync(list, "#patient-search", Fields(("Mrn", "S%")));
        Assert.Contains(Mrn.FormatMessage, notAnMrn.Errors);

        var byBirth = await session.SubmitAsync(list, "#patient-search", Fields(("Name", $"Fam{tag}"), ("DateOfBirth", "1950-01-04")));
        Assert.Single(byBirth.Document.QuerySelectorAll("tbody tr"));
        Assert.Contains("Given03", byBirth.Text);

        var wildcard = await session.SubmitAsync(list, "#patient-search", Fields(("Name", "%")));
        Assert.Contains("0 patients", wildcard.Text);

        // Accents and case do not matter, either way round.
        await factory.QueryAsync(async db =>
        {
            db.Patients.Add(new Core.Patients.Patient(Mrn.Of($"A{tag}-1"), "Chloé", $"Lefèvre{tag}", new DateOnly(1974, 1, 27), Core.Patients.Sex.Female, factory.Clock.GetUtcNow()));
            db.Patients.Add(new Core.Patients.Patient(Mrn.Of($"A{tag}-2"), "Bjorn", $"Ostergard{tag}", new DateOnly(1969, 5, 5), Core.Patients.Sex.Male, factory.Clock.GetUtcNow()));
            return await db.SaveChangesAsync();
        });
        var plain = await session.SubmitAsync(list, "#patient-search", Fields(("Name", $"chloe LEFEVRE{tag}")));
        Assert.Contains($"Lefèvre{tag}, Chloé", plain.Document.QuerySelector("tbody")!.TextContent);
        Assert.Single(plain.Document.QuerySelectorAll("tbody tr"));
        var accented = await session.SubmitAsync(list, "#patient-search", Fields(("Name", $"Østergård{tag}")));
        Assert.Contains($"Ostergard{tag}, Bjorn", accented.Document.QuerySelector("tbody")!.TextContent);
    }

    [Fact]
    public async Task PatientSearchFindsAPhoneNumberHoweverItIsTyped()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var local = Random.Shared.Next(2_000_000, 9_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (dashed, other) = ($"{local[..3]}-{local[3..]}", (int.Parse(local, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await factory.QueryAsync(async db =>
        {
            foreach (var (given, phone) in new[] { ("Ana", $"+1 (555) {dashed}"), ("Bea", $"(556) {dashed}"), ("Cruz", $"555 {other}") })
            {
                var patient = new Core.Patients.Patient(Mrn.Of($"P{tag}-{given}"), given, $"Phone{tag}", new DateOnly(1960, 1, 1), Core.Patients.Sex.Unknown, factory.Clock.GetUtcNow());
                patient.Update(given, $"Phone{tag}", new DateOnly(1960, 1, 1), Core.Patients.Sex.Unknown, phone, null, null);
                db.Patients.Add(patient);
            }
            return await db.SaveChangesAsync();
        });
        var list = await session.GetAsync("/Patients");
        async Task<string[]> Found(string typed) => [.. (await session.SubmitAsync(list, "#patient-search", Fields(("Name", typed))))
            .Document.QuerySelectorAll("tbody tr td a").Select(a => a.TextContent.Split(", ")[1]).Order()];

        Assert.Equal(["Ana"], await Found($"+1 (555) {dashed}"));
        Assert.Equal(["Ana"], await Found($"555 {local}"));
        Assert.Equal(["Ana"], await Found($"1555{local}"));
        Assert.Equal(["Ana", "Bea"], await Found($" {local[..3]} {local[3..]} ")); // the last seven digits
        Assert.Equal(["Ana"], await Found($"+44 1 555 {dashed}")); // a country code the stored number does not have
        Assert.Equal(["Cruz"], await Found(other));
        Assert.Empty(await Found($"555 {local}9"));

        var tooShort = await session.SubmitAsync(list, "#patient-search", Fields(("Name", local[..5])));
        Assert.Contains("To search by phone, type at least the last 7 digits of the number. To search by name, type letters.", tooShort.Errors);
        Assert.Empty(tooShort.Document.QuerySelectorAll("tbody tr"));
        // A text with letters stays a name search.
        Assert.Equal(["Ana", "Bea", "Cruz"], await Found($"phone{tag}"));
        // The number is looked up as a range on the reversed digits, never as LIKE '%...', which would read every row.
        Assert.Contains(factory.Logs.Lines, l => l.Contains("\"PhoneSearch\" >= @") && l.Contains("SELECT"));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("\"PhoneSearch\" LIKE"));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(local));
    }
}
