using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>The ways a consent could end up allowing a procedure it should not, each closed and tested.</summary>
public sealed class ConsentSafeguards(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static readonly byte[] Scan = [.. "%PDF-1.4\n"u8, .. new byte[500]];

    private Task<(WebSession Session, Guid CaseId)> EligibleCaseAsync(CellSource source) =>
        factory.ClinicianWithScreenedCaseAsync(source, givenName: "Luz", familyName: "Guard");

    private async Task<Guid> GenerateAsync(WebSession session, Guid caseId, string? replaceReason = null)
    {
        var page = await session.GetAsync($"/Cases/Consent/{caseId}");
        Assert.Equal(HttpStatusCode.Redirect, (await session.SubmitAsync(page, "#generate-consent",
            Fields(("Consent.Language", "en"), ("Consent.ReplaceReason", replaceReason)))).Status);
        return await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.CaseId == caseId).OrderByDescending(d => d.GeneratedAt)
            .Select(d => d.Id).FirstAsync());
    }

    private async Task<WebSession.Page> SignAsync(WebSession session, Guid documentId, string signedAt)
    {
        var form = await session.GetAsync($"/Consents/Sign/{documentId}");
        return await session.UploadAsync(form, "form[enctype='multipart/form-data']",
            Fields(("Form.SignedAt", signedAt), ("Form.TeachBackConfirmed", "true")), "Form.Scan", "s.pdf", Scan, "application/pdf");
    }

    private string Now => factory.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm");

    private int ScanFiles => Directory.Exists(Path.Combine(factory.DataDirectory, "scans")) ? Directory.GetFiles(Path.Combine(factory.DataDirectory, "scans")).Length : 0;

    [Fact]
    public async Task WithdrawingEndsEverySignedConsentOfTheCase()
    {
        var (session, caseId) = await EligibleCaseAsync(CellSource.Adipose);
        var first = await GenerateAsync(session, caseId);
        Assert.Equal(HttpStatusCode.Redirect, (await SignAsync(session, first, Now)).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await GenerateAsync(session, caseId);
        Assert.Equal(HttpStatusCode.Redirect, (await SignAsync(session, second, Now)).Status);

        var page = await session.GetAsync($"/Cases/Consent/{caseId}");
        await session.SubmitAsync(page, $"form[action='/Consents/Withdraw/{second}']", Fields(("Withdraw.WithdrawnAt", Now), ("Withdraw.Reason", "No longer wants the treatment.")));

        var statuses = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.CaseId == caseId).Select(d => d.Status).ToListAsync());
        Assert.All(statuses, s => Assert.Equal(ConsentStatus.Withdrawn, s));
        Assert.Equal(CaseStage.Eligible, await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Stage).SingleAsync()));
    }

    [Fact]
    public async Task AFormPrintedBeforeTheScreeningChangedCannotBeSigned()
    {
        var (session, caseId) = await EligibleCaseAsync(CellSource.BoneMarrow);
        var document = await GenerateAsync(session, caseId);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await factory.QueryAsync(async db =>
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
            c.AddMedication(new Medication("Aspirin", "81 mg", MedicationKind.Other, null, null));
            c.DecideEligibility(EligibilityOutcome.Eligible, null, c.AssignedClinicianId, factory.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        var before = ScanFiles;

        var page = await SignAsync(session, document, Now);

        Assert.Contains(ConsentRules.ScreeningChangedSincePrinted.Message, page.Errors);
        Assert.Equal(before, ScanFiles);
        Assert.Equal(ConsentStatus.Generated, await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == document).Select(d => d.Status).SingleAsync()));
    }

    [Fact]
    public async Task AFormPrintedOnSupersededWordingCannotBeSignedAndNewFormsUseTheNewWording()
    {
        var (session, caseId) = await EligibleCaseAsync(CellSource.UmbilicalCord);
        var old = await GenerateAsync(session, caseId);
        await factory.QueryAsync(async db =>
        {
            var template = await db.ConsentTemplates.Include(t => t.Versions).SingleAsync(t => t.Code == "consent-umbilical-cord");
            var v1 = template.Current(ConsentLanguage.Of("en"))!;
            var body = Documents.Consent.ConsentTemplateText.WithVersion(v1.Body, template.NextVersion(ConsentLanguage.Of("en")))
                .Replace("requires_reconsent: false", "requires_reconsent: true").Replace("## ", "## Revised: ");
            var v2 = template.NewDraft(ConsentLanguage.Of("en"), v1.EffectiveDate, true, body, factory.Clock.GetUtcNow());
            template.Publish(v2.Id, factory.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        factory.Clock.Advance(TimeSpan.FromMinutes(1));

        var refused = await SignAsync(session, old, Now);
        Assert.Contains(ConsentRules.PrintedOnSupersededVersion.Message, refused.Errors);

        // The old form still waits for a signature: a new one is printed only with a reason, and the old one is voided with it.
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        var second = await session.SubmitAsync(casePage, "#generate-consent", Fields(("Consent.Language", "en")));
        Assert.Contains("is already waiting for its signature", second.Document.QuerySelector("#flash-error")?.TextContent);
        Assert.NotNull(second.Document.QuerySelector("#generate-consent input[name='Consent.ReplaceReason']"));
        Assert.Equal(1, await factory.QueryAsync(db => db.ConsentDocuments.CountAsync(d => d.CaseId == caseId)));
        var fresh = await GenerateAsync(session, caseId, "printed on wording since revised");
        var voided = await factory.QueryAsync(db => db.ConsentDocuments.AsNoTracking().SingleAsync(d => d.Id == old));
        Assert.Equal(ConsentStatus.Voided, voided.Status);
        Assert.EndsWith(": printed on wording since revised", voided.VoidReason);
        var bytes = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == fresh).Select(d => d.Content).SingleAsync());
        using var pdf = PdfDocument.Open(bytes);
        Assert.Contains("Revised:", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Equal(HttpStatusCode.Redirect, (await SignAsync(session, fresh, Now)).Status);
    }

    [Fact]
    public async Task ImpossibleDatesGetAMessageNotAnErrorAndLeaveNoFile()
    {
        var (session, caseId) = await EligibleCaseAsync(CellSource.BoneMarrow);
        var document = await GenerateAsync(session, caseId);
        var before = ScanFiles;

        var page = await SignAsync(session, document, "0001-01-01T00:00");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Check the date and time the patient signed.", page.Errors);
        Assert.Equal(before, ScanFiles);

        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var records = await admin.GetAsync("/ConsentRecords?To=9999-12-31&From=0001-01-01");
        Assert.Equal(HttpStatusCode.OK, records.Status);
        Assert.Contains("Choose a date between 1900 and 2199.", records.Errors);
    }

    [Fact]
    public async Task AdministratorsOpenThePdfAndScanFromTheRecordsList()
    {
        var (session, caseId) = await EligibleCaseAsync(CellSource.Adipose);
        var document = await GenerateAsync(session, caseId);
        await SignAsync(session, document, Now);
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/Consents/Download/{document}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/Consents/Scan/{document}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Consents/Verify")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/Consents/Sign/{document}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/Cases/Details/{caseId}")).Status);
    }

    [Fact]
    public async Task EditsToADraftAlwaysShowInItsPreviewAndPublishedPdf()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var list = await admin.GetAsync("/ConsentTemplates");
        var draft = await admin.FollowAsync(await admin.SubmitAsync(list,
            "section[data-code=consent-adipose] tr[data-language=es][data-version='2'] form[action^='/ConsentTemplates/NewDraft']"));
        var body = draft.Document.QuerySelector("textarea[name=Body]")!.TextContent;
        await admin.SubmitAsync(draft, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", body.Replace("## ", "## PrimeraMarca "))));
        await admin.GetAsync("/ConsentTemplates"); // renders every version, as administrators do between edits
        var again = await admin.GetAsync(draft.Url);
        await admin.SubmitAsync(again, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", body.Replace("## ", "## SegundaMarca "))));

        list = await admin.GetAsync("/ConsentTemplates");
        await admin.SubmitAsync(await ConsentAdministration.PublishPageAsync(admin, list, "section[data-code=consent-adipose] tr[data-language=es][data-version='3']"),
            "#publish-form");

        var id = draft.Url.Split('/').Last();
        var pdf = await admin.Client.GetByteArrayAsync($"/ConsentTemplates/Pdf/{id}");
        using var document = PdfDocument.Open(pdf);
        var words = document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
        Assert.Contains("SegundaMarca", words);
        Assert.DoesNotContain("PrimeraMarca", words);
    }

    [Fact]
    public async Task AStaleTemplatePageCannotOverrideAnotherAdministratorsChange()
    {
        using var first = await factory.SignedInAsync(Roles.Administrator);
        using var second = await factory.SignedInAsync(Roles.Administrator);
        var pageA = await first.GetAsync("/ConsentTemplates");
        var pageB = await second.GetAsync("/ConsentTemplates");
        const string selector = "section[data-code=consent-bone-marrow] tr[data-language=es][data-version='2'] form[action^='/ConsentTemplates/NewDraft']";

        var made = await first.SubmitAsync(pageA, selector);
        var stale = await second.FollowAsync(await second.SubmitAsync(pageB, selector));

        Assert.StartsWith("/ConsentTemplates/Edit/", made.Location);
        Assert.Contains("Someone else saved a change", stale.Document.QuerySelector("#flash-error")!.TextContent);
        var drafts = await factory.QueryAsync(db => db.ConsentTemplateVersions.CountAsync(v => v.Language == ConsentLanguage.Of("es") && v.Version == 3
            && db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.Code == "consent-bone-marrow")));
        Assert.Equal(1, drafts);
    }
}
