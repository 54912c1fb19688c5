using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The ways consent is given, through the real forms: a short form in the patient's language with the written summary,
/// and a legally authorized representative; and what the records then show.
/// </summary>
public sealed class ConsentRoutes(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static readonly byte[] PdfScan = [.. "%PDF-1.4\n% scanned signed papers\n"u8, .. new byte[2000]];

    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm");

    private async Task<(WebSession Session, Guid CaseId, ConsentDocument Document)> GeneratedAsync(params (string, string?)[] fields)
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        var generated = await session.SubmitAsync(casePage, "#generate-consent", Fields(fields));
        Assert.Equal(HttpStatusCode.Redirect, generated.Status);
        var document = await factory.QueryAsync(db => db.ConsentDocuments.AsNoTracking().SingleAsync(d => d.CaseId == caseId));
        return (session, caseId, document);
    }

    private async Task<Page> SignAsync(WebSession session, ConsentDocument document, params (string, string?)[] fields)
    {
        // Signed five minutes after printing, recorded a few minutes later.
        if (factory.Clock.GetUtcNow() < document.GeneratedAt.AddMinutes(10)) factory.Clock.Advance(TimeSpan.FromMinutes(10));
        var form = await session.GetAsync($"/Consents/Sign/{document.Id}");
        return await session.UploadAsync(form, "form[enctype='multipart/form-data']",
            Fields([("Form.SignedAt", Local(document.GeneratedAt.AddMinutes(5))), ("Form.TeachBackConfirmed", "true"), .. fields]),
            "Form.Scan", "papers.pdf", PdfScan, "application/pdf");
    }

    private static List<string> Words(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
    }

    [Fact]
    public async Task AShortFormConsentPrintsTheShortFormWithTheSummaryNeedsAWitnessAndIsRecordedAsSuch()
    {
        var (session, caseId, document) = await GeneratedAsync(("Consent.Language", "en"), ("Consent.ShortFormLanguage", "fr"));

        Assert.Equal(ConsentRoute.ShortForm, document.Route);
        Assert.Equal("fr", document.ShortFormLanguage?.Tag);
        // The summary is the English form, signed by the witness and the person obtaining consent; the short form is French.
        var summary = string.Join(' ', Words(document.Content));
        Assert.Contains("The patient signed a short form in their own language.", summary);
        Assert.DoesNotContain("I agree to it of my own free will.", summary);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        var link = casePage.Document.QuerySelector($"a[href='/Consents/ShortForm/{document.Id}']");
        Assert.NotNull(link);
        Assert.Contains("French", link!.TextContent);
        var shortForm = await session.Client.GetByteArrayAsync($"/Consents/ShortForm/{document.Id}");
        Assert.Equal(document.ShortFormContent, shortForm);
        var words = Words(shortForm);
        Assert.Contains(document.DocumentNumber, words);
        Assert.Contains("Témoin", words);
        Assert.Contains("décembre", words.Select(w => w.ToLowerInvariant()));

        // The witness must sign both papers: without one the signing is refused and nothing is stored.
        var refused = await SignAsync(session, document);
        Assert.Contains(ConsentRules.WitnessRequiredForShortForm.Message, refused.Errors);
        Assert.NotNull(refused.Document.QuerySelector("#short-form-route"));
        Assert.Equal(ConsentStatus.Generated, await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == document.Id).Select(d => d.Status).SingleAsync()));

        var signed = await SignAsync(session, document, ("Form.WitnessName", "Luc Martin"), ("Form.InterpreterName", "Luc Martin"),
            ("Form.InterpreterLanguage", "French"));
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        var saved = await factory.QueryAsync(db => db.ConsentDocuments.AsNoTracking().SingleAsync(d => d.Id == document.Id));
        Assert.Equal((ConsentStatus.Signed, ConsentRoute.ShortForm, "Luc Martin"), (saved.Status, saved.Route, saved.Signature!.WitnessName));

        // The administrator's list of consent records shows the route used.
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var records = await admin.GetAsync("/ConsentRecords");
        var row = records.Document.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(document.DocumentNumber));
        Assert.Contains("short form (fr)", row.TextContent);
        Assert.Contains("witness: Luc Martin", row.TextContent);
    }

    [Fact]
    public async Task AShortFormInALanguageWithNonePublishedIsRefusedWithAMessage()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        Assert.Equal(["", "fr", "pt", "ru"], casePage.Document.QuerySelectorAll("#consent-short-form option").Select(o => o.GetAttribute("value")));

        var refused = await session.FollowAsync(await session.SubmitAsync(casePage, "#generate-consent",
            Fields(("Consent.Language", "en"), ("Consent.ShortFormLanguage", "vi"))));

        Assert.Contains("no published short form in that language", refused.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.Equal(0, await factory.QueryAsync(db => db.ConsentDocuments.CountAsync(d => d.CaseId == caseId)));
    }

    [Fact]
    public async Task ARepresentativeSignsOnlyWithRelationshipAndAuthorityAndTheCaseShowsWhoSigned()
    {
        var (session, caseId, document) = await GeneratedAsync(("Consent.Language", "es"), ("Consent.LargePrint", "true"));
        Assert.True(document.LargePrint);
        Assert.Equal(ConsentRoute.FullForm, document.Route);

        var refused = await SignAsync(session, document, ("Form.SignedByRepresentative", "true"), ("Form.RepresentativeName", "Marta Díaz"),
            ("Form.RepresentativeRelationship", "Hija"));
        Assert.Contains(ConsentRules.RepresentativeDetailsRequired.Message, refused.Errors);
        // The form comes back with what was typed.
        Assert.Equal("Marta Díaz", refused.Document.QuerySelector("#Form_RepresentativeName")!.GetAttribute("value"));

        var signed = await SignAsync(session, document, ("Form.SignedByRepresentative", "true"), ("Form.RepresentativeName", "Marta Díaz"),
            ("Form.RepresentativeRelationship", "Hija"), ("Form.RepresentativeAuthority", "Poder notarial para decisiones de salud"));
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);

        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        var row = casePage.Document.QuerySelector($"tr[data-number='{document.DocumentNumber}']")!;
        Assert.Contains("Signed by representative: Marta Díaz (Hija; Poder notarial para decisiones de salud)", row.TextContent);
        Assert.Contains("large print", row.TextContent);

        // The screen-reader version: the same form as a page in its language, made with the PDF; opening it is audited.
        var accessible = await session.GetAsync(row.QuerySelector("a[href^='/Consents/Accessible/']")!.GetAttribute("href")!);
        Assert.Equal("text/html", accessible.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("es-US", accessible.Document.DocumentElement.GetAttribute("lang"));
        Assert.Contains(document.DocumentNumber, accessible.Document.QuerySelector("footer")!.TextContent);
        Assert.Contains("Zoë Müller-Øvergård", accessible.Document.QuerySelector("dl")!.TextContent);
        Assert.True(await factory.QueryAsync(db => db.AuditEntries.AnyAsync(e => e.EntityId == document.Id.ToString() && e.NewValues!.Contains("accessible HTML"))));
    }
}

/// <summary>A clinic under a registered, IRB-approved study with every detail set.</summary>
public class StudyClinicFactory : ClinicFactory
{
    protected virtual Dictionary<string, string?> Study() => new()
    {
        ["Title"] = "Knee cell safety study",
        ["IndNumber"] = "654321",
        ["Sponsor"] = "Example Sponsor",
        ["IrbName"] = "Example IRB",
        ["IrbPhone"] = "(555) 010-0177",
        ["IrbApproved"] = DateTime.UtcNow.AddDays(-30).ToString("yyyy-MM-dd"),
        ["IrbExpires"] = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd"),
        ["ClinicalTrialsNumber"] = "NCT01234567",
        ["Participants"] = "40",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Clinic:RegulatoryBasis", "Study");
        foreach (var (name, value) in Study().Where(s => s.Value is not null)) builder.UseSetting($"Clinic:Study:{name}", value);
    }
}

/// <summary>The same clinic, with the IND number not set.</summary>
public sealed class IncompleteStudyClinicFactory : StudyClinicFactory
{
    protected override Dictionary<string, string?> Study() => new(base.Study()) { ["IndNumber"] = null };
}

/// <summary>A form cannot reach a patient while a detail its regulatory basis prints is unset.</summary>
public sealed class IncompleteStudySettings(IncompleteStudyClinicFactory factory) : IClassFixture<IncompleteStudyClinicFactory>
{
    [Fact]
    public async Task TemplatesWaitAsDraftsPublishingIsRefusedAndTheSettingIsNamed()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        var page = await admin.GetAsync("/ConsentTemplates");

        Assert.Contains("Clinic:Study:IndNumber", page.Document.QuerySelector("#regulatory-basis .alert-danger")!.TextContent);
        // The files were imported, but as drafts: each prints the IND number, which is not set.
        Assert.Equal(0, await factory.QueryAsync(db => db.ConsentTemplateVersions.CountAsync(v => v.Status == TemplateVersionStatus.Published
            && db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.Kind == TemplateKind.ConsentForm))));
        Assert.Contains(factory.Logs.Lines, m => m.Contains("imported as a draft, not published") && m.Contains("Clinic:Study:IndNumber"));

        var review = await ConsentAdministration.PublishPageAsync(admin, page, "section[data-code=consent-bone-marrow] tr[data-language=en][data-version='2']");
        Assert.Contains("{{ study.ind_number }}", review.Document.QuerySelector(".alert-danger")!.TextContent);
        var refused = await admin.FollowAsync(await admin.SubmitAsync(review, "#publish-form"));
        Assert.Contains("cannot be published", refused.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.Contains("{{ study.ind_number }}", refused.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.Contains("Clinic:Study:IndNumber", refused.Document.QuerySelector("#flash-error")!.TextContent);
    }

    [Fact]
    public async Task GeneratingAFormIsRefusedWithAMessageAndNothingIsStored()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        Assert.Null(casePage.Document.QuerySelector("#generate-consent"));
        // A form posted anyway (from a page opened before the settings changed) is refused by the same rule.
        var refused = await session.FollowAsync(await session.PostAsync(casePage, $"/Consents/Generate/{caseId}", Fields(("Consent.Language", "en"))));

        Assert.Contains("Clinic:Study:IndNumber", refused.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.Equal(0, await factory.QueryAsync(db => db.ConsentDocuments.CountAsync(d => d.CaseId == caseId)));
    }
}

public sealed class StudySettings(StudyClinicFactory factory) : IClassFixture<StudyClinicFactory>
{
    [Fact]
    public async Task TheFormSaysOnPageOneThatThisIsResearchAndNamesTheStudyAndItsIrbUntilTheApprovalEnds()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.UmbilicalCord);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        Assert.Equal(HttpStatusCode.Redirect, (await session.SubmitAsync(casePage, "#generate-consent", Fields(("Consent.Language", "en")))).Status);

        var pdf = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.CaseId == caseId).Select(d => d.Content).SingleAsync());
        using (var document = PdfDocument.Open(pdf))
        {
            var pageOne = string.Join(' ', document.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("This is part of a research study.", pageOne);
            var all = string.Join(' ', document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            foreach (var detail in new[] { "654321", "Example Sponsor", "Example IRB", "NCT01234567", "ClinicalTrials.gov" })
                Assert.Contains(detail, all);
            Assert.DoesNotContain("This is not part of a research study.", all);
        }

        // Once the IRB approval has ended, no form can be made.
        factory.Clock.Advance(TimeSpan.FromDays(61));
        var (later, laterCase) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        var page = await later.GetAsync($"/Cases/Consent/{laterCase}");
        var refused = await later.FollowAsync(await later.PostAsync(page, $"/Consents/Generate/{laterCase}", Fields(("Consent.Language", "en"))));
        Assert.Contains("The IRB approval of the study ended on", refused.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.Equal(0, await factory.QueryAsync(db => db.ConsentDocuments.CountAsync(d => d.CaseId == laterCase)));
    }
}

/// <summary>English wording above grade 8 is published only with an administrator's reason, which stays on the version.</summary>
public sealed class ReadingLevelGate(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    [Fact]
    public async Task AHardToReadDraftNeedsAReasonToBePublished()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var list = await admin.GetAsync("/ConsentTemplates");
        var draft = await admin.FollowAsync(await admin.SubmitAsync(list,
            "section[data-code=consent-umbilical-cord] tr[data-language=en][data-version='2'] form[action^='/ConsentTemplates/NewDraft']"));
        var body = draft.Document.QuerySelector("textarea[name=Body]")!.TextContent;
        const string dense = "Notwithstanding the aforementioned considerations, investigational administration of allogeneic mesenchymal " +
            "stromal cellular preparations necessitates comprehensive pharmacovigilance, longitudinal radiographic characterization, " +
            "and individualized multidisciplinary deliberation regarding immunological compatibility, oncological susceptibility and " +
            "contraindicated concomitant anticoagulation.";
        var hard = body.Replace("## Why you are getting this form", string.Concat(Enumerable.Repeat(dense + "\n\n", 40)) + "## Why you are getting this form");
        Assert.Equal("/ConsentTemplates", (await admin.SubmitAsync(draft, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", hard)))).Location);

        list = await admin.GetAsync("/ConsentTemplates");
        const string draftRow = "section[data-code=consent-umbilical-cord] tr[data-language=en][data-version='3']";
        var row = list.Document.QuerySelector(draftRow)!;
        Assert.Contains("not met", row.QuerySelector(".reading-grade")!.TextContent);
        var review = await ConsentAdministration.PublishPageAsync(admin, list, draftRow);
        Assert.NotNull(review.Document.QuerySelector("#publish-form input[name=readingLevelReason]"));

        var refused = await admin.FollowAsync(await admin.SubmitAsync(review, "#publish-form", Fields(("readingLevelReason", ""))));
        Assert.Contains(TemplateRules.ReadingLevelReasonRequired.Message, refused.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.Equal(TemplateVersionStatus.Draft, await StatusAsync());

        list = await admin.GetAsync("/ConsentTemplates");
        review = await ConsentAdministration.PublishPageAsync(admin, list, draftRow);
        await admin.SubmitAsync(review, "#publish-form", Fields(("readingLevelReason", "The IRB approved this wording word for word.")));
        Assert.Equal(TemplateVersionStatus.Published, await StatusAsync());
        var shown = await admin.GetAsync("/ConsentTemplates");
        Assert.Contains("Published above the target because: The IRB approved this wording word for word.",
            shown.Document.QuerySelector("section[data-code=consent-umbilical-cord] tr[data-language=en][data-version='3']")!.TextContent);

        Task<TemplateVersionStatus> StatusAsync() => factory.QueryAsync(db => db.ConsentTemplateVersions.Where(v => v.Version == 3 && v.Language == ConsentLanguage.Of("en")
            && db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.Code == "consent-umbilical-cord")).Select(v => v.Status).SingleAsync());
    }
}
