using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>Administrators manage template versions and review consent records.</summary>
public sealed class ConsentAdministration(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    /// <summary>
    /// A consent on the published English bone-marrow version 2, stored the way the app stores it: signed
    /// <paramref name="signedAgo"/> before now (an hour unless given), withdrawn a minute later, or left unsigned.
    /// </summary>
    private Task<Guid> SignedConsentAsync(bool withScanRecord = true, TimeSpan? signedAgo = null, bool sign = true, bool withdraw = false,
        string givenName = "Ana", string familyName = "Admin-Test", string? mrn = null) =>
        SignedConsentAsync(factory, withScanRecord, signedAgo, sign, withdraw, givenName, familyName, mrn);

    internal static async Task<Guid> SignedConsentAsync(ClinicFactory factory, bool withScanRecord = true, TimeSpan? signedAgo = null, bool sign = true,
        bool withdraw = false, string givenName = "Ana", string familyName = "Admin-Test", string? mrn = null)
    {
        return await factory.QueryAsync(async db =>
        {
            var realNow = factory.Clock.GetUtcNow();
            var now = realNow - (signedAgo ?? TimeSpan.FromHours(1)) + TimeSpan.FromHours(1);
            var clinician = await db.Users.OrderBy(u => u.Email).FirstAsync();
            var patient = new Patient(Mrn.Of(mrn ?? $"A-{Guid.NewGuid():N}"[..14]), givenName, familyName, new DateOnly(1970, 1, 1), Sex.Female, now);
            var c = new Case(patient.Id, KneeSide.Right, CellSource.BoneMarrow, KlGrade.Of(2), clinician.Id, now);
            var v1 = await db.ConsentTemplateVersions.SingleAsync(v => v.Version == 2 && v.Language == ConsentLanguage.Of("en")
                && db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.Code == "consent-bone-marrow"));
            var document = new ConsentDocument(c.Id, v1.Id, DocumentNumber.Read($"KC-T-{Guid.NewGuid():N}"[..16]), [1, 2, 3], new string('a', 64), clinician.Id, now.AddHours(-2));
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            Assert.Null(c.RecordCheckup(today.AddDays(-1), null, null, 5, [], today));
            Assert.Null(c.AddImaging(new ImagingStudy(ImagingModality.XRay, today.AddDays(-1), "narrowing", KlGrade.Of(2)), today));
            Assert.Null(c.DecideEligibility(EligibilityOutcome.Eligible, null, clinician.Id, now.AddHours(-3)));
            Assert.Null(c.AddConsent(document));
            var versions = await db.ConsentTemplateVersions.AsNoTracking().Where(v => v.TemplateId == v1.TemplateId).ToListAsync();
            if (sign)
                Assert.Null(c.RecordSignature(document.Id, new ConsentSignature(now.AddHours(-1), clinician.Id, null, null, null, true, "x.pdf",
                    "application/pdf", new string('b', 64), now), new ConsentTerms(versions), now));
            if (withdraw) Assert.Null(c.WithdrawConsent(document.Id, now.AddMinutes(-59), "changed her mind", clinician.Id, now));
            db.AddRange(patient, c);
            await db.SaveChangesAsync();
            if (!withScanRecord)
                await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM ConsentSignatures WHERE ConsentDocumentId = {document.Id}");
            return document.Id;
        });
    }

    private Task<DocumentNumber> NumberOfAsync(Guid documentId) =>
        factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == documentId).Select(d => d.DocumentNumber).SingleAsync());

    [Fact]
    public async Task TheVerifyPageSaysWhetherTheFormAllowsAProcedureNowAndWhyNotWithThePatientsInitialsAndBirthDate()
    {
        var valid = await SignedConsentAsync(givenName: "Beatriz", familyName: "Quintero-Verify");
        var lapsed = await SignedConsentAsync(signedAgo: TimeSpan.FromDays(91));
        var withdrawn = await SignedConsentAsync(withdraw: true);
        var unsigned = await SignedConsentAsync(sign: false);
        var signedAt = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == valid).Select(d => d.Signature!.SignedAt).SingleAsync());
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        foreach (var session in new[] { clinician, admin })
        {
            var page = await session.GetAsync($"/Consents/Verify/{await NumberOfAsync(valid)}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.StartsWith("Valid for a procedure now, until", page.Document.QuerySelector("#verify-validity")!.TextContent.Trim());
            Assert.Equal($"{signedAt.AddDays(ConsentRules.DefaultValidityDays):yyyy-MM-dd HH:mm} UTC",
                page.Document.QuerySelector("#verify-valid-until")!.TextContent.Trim());
            var patient = page.Document.QuerySelector("#verify-patient")!.TextContent;
            Assert.Contains("B. Q.", patient);
            Assert.Contains("1970-01-01", patient);
            Assert.DoesNotContain("Beatriz", page.Text);
            Assert.DoesNotContain("Quintero", page.Text);
        }

        async Task<string> WhyNot(Guid id)
        {
            var page = await admin.GetAsync($"/Consents/Verify/{await NumberOfAsync(id)}");
            Assert.StartsWith("Not valid for a procedure now.", page.Document.QuerySelector("#verify-validity")!.TextContent.Trim());
            return page.Document.QuerySelector("#verify-why-not")!.TextContent;
        }
        Assert.Equal(ConsentRules.ConsentLapsed(ConsentRules.DefaultValidityDays).Message, await WhyNot(lapsed));
        Assert.Equal(ConsentRules.ConsentWithdrawn.Message, await WhyNot(withdrawn));
        Assert.Equal(ConsentRules.FormNotSignedYet.Message, await WhyNot(unsigned));
        var notSigned = await admin.GetAsync($"/Consents/Verify/{await NumberOfAsync(unsigned)}");
        Assert.Equal("not signed, so never valid", notSigned.Document.QuerySelector("#verify-valid-until")!.TextContent.Trim());

        // The page shows patient details, so each look-up is in the audit trail under the patient.
        var looked = await factory.QueryAsync(db => db.AuditEntries
            .Where(e => e.Action == Core.Audit.AuditAction.Viewed && e.Entity == nameof(ConsentDocument) && e.EntityId == valid.ToString())
            .Select(e => e.PatientId).ToListAsync());
        var patientId = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == valid)
            .Join(db.Cases, d => d.CaseId, c => c.Id, (d, c) => (Guid?)c.PatientId).SingleAsync());
        Assert.Equal([patientId, patientId], looked);
    }

    [Fact]
    public async Task TheTemplatesPageListsEveryVersionWithItsReadingGradeAndPreviews()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        var page = await admin.GetAsync("/ConsentTemplates");

        // A consent form for each cell source, and the short form for every cell source.
        Assert.Equal(4, page.Document.QuerySelectorAll("section[data-code]").Length);
        Assert.Equal(["fr", "pt", "ru"], page.Document.QuerySelectorAll("section[data-code=consent-short-form] tr[data-version='1']").Select(r => r.GetAttribute("data-language")));
        var english = page.Document.QuerySelectorAll("tr[data-language=en][data-version='2'] .reading-grade");
        Assert.Equal(3, english.Length);
        Assert.All(english, cell => Assert.Contains("Flesch-Kincaid", cell.TextContent));
        Assert.All(english, cell => Assert.True(double.Parse(cell.QuerySelector("span")!.TextContent, System.Globalization.CultureInfo.InvariantCulture) <= 8));
        // Spanish is scored on its own scale, not with the English formula.
        var spanish = page.Document.QuerySelectorAll("tr[data-language=es][data-version='2'] .reading-grade");
        Assert.Equal(3, spanish.Count(c => c.TextContent.Contains("INFLESZ") && c.TextContent.Contains("target: INFLESZ 55 or more, met")));
        // The regulatory basis the forms print, as configured.
        Assert.Contains("Not under an IND and not part of an IRB-approved study", page.Document.QuerySelector("#regulatory-basis")!.TextContent);

        var previewLink = page.Document.QuerySelector("section[data-code=consent-adipose] tr[data-language=es] a[href^='/ConsentTemplates/Preview']")!;
        var preview = await admin.GetAsync(previewLink.GetAttribute("href")!);
        Assert.Contains("en investigación", preview.Document.QuerySelector("#investigational")!.TextContent);
        Assert.Contains("Zoë Müller-Øvergård", preview.Document.QuerySelector("#preview")!.TextContent);

        using var pdf = await admin.Client.GetAsync(previewLink.GetAttribute("href")!.Replace("Preview", "Pdf"));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task PublishingADraftThatRequiresReconsentInvalidatesEarlierSignedConsents()
    {
        var signed = await SignedConsentAsync();
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var list = await admin.GetAsync("/ConsentTemplates");

        var draft = await admin.FollowAsync(await admin.SubmitAsync(list,
            "section[data-code=consent-bone-marrow] tr[data-language=en][data-version='2'] form[action^='/ConsentTemplates/NewDraft']"));
        var body = draft.Document.QuerySelector("textarea[name=Body]")!.TextContent;
        Assert.Contains("version: 3", body);

        var broken = await admin.SubmitAsync(draft, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", body.Replace("{{ clinic.phone }}", "{{ clinic.fax }}"))));
        Assert.Contains(broken.Errors, e => e.StartsWith("Unknown placeholder {{ clinic.fax }}"));
        var wrongVersion = await admin.SubmitAsync(draft, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", body.Replace("version: 3", "version: 2"))));
        Assert.Contains(wrongVersion.Errors, e => e.StartsWith("The header must say code: consent-bone-marrow, version: 3"));
        var nested = await admin.SubmitAsync(draft, "form[action^='/ConsentTemplates/Edit']",
            Fields(("Body", body + "\n\n" + string.Concat(Enumerable.Repeat("> ", 1_000)) + "quoted\n")));
        Assert.Equal(HttpStatusCode.OK, nested.Status);
        Assert.Contains(nested.Errors, e => e.StartsWith("The text is nested too deeply"));

        var saved = await admin.SubmitAsync(draft, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", body.Replace("requires_reconsent: false", "requires_reconsent: true"))));
        Assert.Equal("/ConsentTemplates", saved.Location);

        var (document, v1, before) = await Validity(signed);
        Assert.Null(document.ValidFor(factory.Clock.GetUtcNow(), v1, before));

        list = await admin.GetAsync("/ConsentTemplates");
        var review = await PublishPageAsync(admin, list, "section[data-code=consent-bone-marrow] tr[data-language=en][data-version='3']");
        var published = await admin.FollowAsync(await admin.SubmitAsync(review, "#publish-form"));
        Assert.Contains("must consent again", published.Text);

        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var (again, version1, after) = await Validity(signed);
        Assert.Equal(ConsentRules.ConsentSuperseded, again.ValidFor(factory.Clock.GetUtcNow(), version1, after));

        // The published version is now frozen: posting an edit to it changes nothing.
        var v2 = after.Single(v => v.Version == 3 && v.Language == ConsentLanguage.Of("en"));
        var edit = await admin.GetAsync($"/ConsentTemplates/Edit/{v2.Id}");
        var refused = await admin.SubmitAsync(edit, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", v2.Body + "\nMore text.\n")));
        Assert.Contains("A published version never changes. Make a new draft version instead.", refused.Errors);
        Assert.Equal(v2.Body, await factory.QueryAsync(db => db.ConsentTemplateVersions.Where(v => v.Id == v2.Id).Select(v => v.Body).SingleAsync()));
    }

    [Fact]
    public async Task RetiringTheLastVersionOfALanguageAsksFirstAndOnlyAConfirmedPostRetiresIt()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        const string spanish = "section[data-code=consent-umbilical-cord] tr[data-language=es][data-version='2']";
        var list = await admin.GetAsync("/ConsentTemplates");

        var asked = await admin.SubmitAsync(list, spanish + " form[action^='/ConsentTemplates/Retire']");
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Contains(asked.Errors, e => e.StartsWith("Spanish (español) will no longer be offered for umbilical cord (donor) consent forms"));
        Assert.Equal(TemplateVersionStatus.Published, await StatusAsync("consent-umbilical-cord", "es", 2));

        // The box left unticked (or the post crafted without it): asked again, still nothing retired.
        var again = await admin.SubmitAsync(asked, "#confirm-retire");
        Assert.Contains(again.Errors, e => e.StartsWith("Spanish (español) will no longer be offered"));
        Assert.Equal(TemplateVersionStatus.Published, await StatusAsync("consent-umbilical-cord", "es", 2));

        var retired = await admin.SubmitAsync(again, "#confirm-retire", Fields(("languageEndConfirmed", "true")));
        Assert.Equal("/ConsentTemplates", retired.Location);
        Assert.Equal(TemplateVersionStatus.Retired, await StatusAsync("consent-umbilical-cord", "es", 2));
        Assert.Contains("retired", (await admin.FollowAsync(retired)).Text);
    }

    [Fact]
    public async Task RetiringAVersionWhileAnotherInItsLanguageRemainsNeedsNoConfirmation()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        const string english = "section[data-code=consent-umbilical-cord] tr[data-language=en]";
        var list = await admin.GetAsync("/ConsentTemplates");
        var draft = await admin.FollowAsync(await admin.SubmitAsync(list, english + "[data-version='2'] form[action^='/ConsentTemplates/NewDraft']"));
        Assert.Contains("version: 3", draft.Document.QuerySelector("textarea[name=Body]")!.TextContent);
        list = await admin.GetAsync("/ConsentTemplates");
        await admin.SubmitAsync(await PublishPageAsync(admin, list, english + "[data-version='3']"), "#publish-form");
        Assert.Equal(TemplateVersionStatus.Published, await StatusAsync("consent-umbilical-cord", "en", 3));

        list = await admin.GetAsync("/ConsentTemplates");
        var retired = await admin.SubmitAsync(list, english + "[data-version='2'] form[action^='/ConsentTemplates/Retire']");

        Assert.Equal("/ConsentTemplates", retired.Location);
        Assert.Equal(TemplateVersionStatus.Retired, await StatusAsync("consent-umbilical-cord", "en", 2));
    }

    [Fact]
    public async Task ThePublishPageMarksTheWordsChangedSinceThePreviousVersionAndEncodesTheWording()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        const string english = "section[data-code=consent-adipose] tr[data-language=en]";
        var list = await admin.GetAsync("/ConsentTemplates");
        var draft = await admin.FollowAsync(await admin.SubmitAsync(list, english + "[data-version='2'] form[action^='/ConsentTemplates/NewDraft']"));
        var body = draft.Document.QuerySelector("textarea[name=Body]")!.TextContent;
        Assert.Contains("Doctors are still studying whether", body);
        var edited = body.Replace("Doctors are still studying whether", "Doctors are still testing whether")
            .Replace("## Why you are getting this form", "Ask us <script>alert('x')</script> anything.\n\n## Why you are getting this form");
        Assert.Equal("/ConsentTemplates", (await admin.SubmitAsync(draft, "form[action^='/ConsentTemplates/Edit']", Fields(("Body", edited)))).Location);

        list = await admin.GetAsync("/ConsentTemplates");
        var review = await PublishPageAsync(admin, list, english + "[data-version='3']");

        Assert.Equal(HttpStatusCode.OK, review.Status);
        Assert.Contains("Changes from version 2", review.Document.QuerySelector("#changes h2")!.TextContent);
        var diff = review.Document.QuerySelector("#wording-diff")!;
        Assert.Contains("studying", diff.QuerySelectorAll("del").Select(d => d.TextContent.Trim()));
        Assert.Contains("testing", diff.QuerySelectorAll("ins").Select(d => d.TextContent.Trim()));
        Assert.Matches("<del[^>]*>studying</del>", review.Text);
        Assert.Matches("<ins[^>]*>testing</ins>", review.Text);
        Assert.Matches("still <del[^>]*>studying</del><ins[^>]*>testing</ins> whether", review.Text);
        // The unchanged words are there too, unmarked: the page shows the whole new wording.
        Assert.Contains("Doctors are still ", diff.TextContent);
        Assert.DoesNotContain("Doctors", string.Concat(diff.QuerySelectorAll("ins, del").Select(e => e.TextContent)));
        // What the administrator typed is shown as text, never run as markup.
        Assert.Empty(review.Document.QuerySelectorAll("#wording-diff script, #wording-diff ins script"));
        Assert.Contains("&lt;script&gt;alert(", review.Text);
        Assert.Contains("<script>alert('x')</script>", diff.TextContent);
        Assert.Equal(TemplateVersionStatus.Draft, await StatusAsync("consent-adipose", "en", 3));

        var published = await admin.SubmitAsync(review, "#publish-form");
        Assert.Equal("/ConsentTemplates", published.Location);
        Assert.Equal(TemplateVersionStatus.Published, await StatusAsync("consent-adipose", "en", 3));
        // A published version has no publish page any more.
        Assert.Equal("/ConsentTemplates", (await admin.GetAsync(review.Url)).Location);
    }

    [Fact]
    public async Task ThePublishPageSaysWhenThereIsNoEarlierVersionToCompareWith()
    {
        var draftId = await factory.QueryAsync(async db =>
        {
            var template = await db.ConsentTemplates.Include(t => t.Versions).SingleAsync(t => t.Code == "consent-bone-marrow");
            var v2 = template.Versions.Single(v => v.Language == ConsentLanguage.Of("es") && v.Version == 2);
            var draft = template.AddDraft(1, ConsentLanguage.Of("it"), v2.EffectiveDate, false,
                v2.Body.Replace("version: 2", "version: 1").Replace("language: es", "language: it"), factory.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            return draft.Id;
        });
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        var review = await admin.GetAsync($"/ConsentTemplates/Publish/{draftId}");

        Assert.Contains("This is the first version in Italian (italiano), so there is nothing to compare it with.",
            review.Document.QuerySelector("#no-previous")!.TextContent);
        Assert.Empty(review.Document.QuerySelectorAll("#wording-diff ins, #wording-diff del"));
    }

    /// <summary>Opens the publish page of the draft in the templates list row <paramref name="row"/>.</summary>
    internal static async Task<Page> PublishPageAsync(WebSession admin, Page list, string row) =>
        await admin.GetAsync(list.Document.QuerySelector(row + " a[href^='/ConsentTemplates/Publish']")?.GetAttribute("href")
            ?? throw new InvalidOperationException($"No publish link in {row}"));

    private Task<TemplateVersionStatus> StatusAsync(string code, string language, int version) => factory.QueryAsync(db =>
        db.ConsentTemplateVersions.Where(v => v.Version == version && v.Language == ConsentLanguage.Of(language)
            && db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.Code == code)).Select(v => v.Status).SingleAsync());

    private Task<(ConsentDocument, ConsentTemplateVersion, List<ConsentTemplateVersion>)> Validity(Guid documentId) =>
        factory.QueryAsync(async db =>
        {
            var d = await db.ConsentDocuments.AsNoTracking().SingleAsync(x => x.Id == documentId);
            var v = await db.ConsentTemplateVersions.AsNoTracking().SingleAsync(x => x.Id == d.TemplateVersionId);
            return (d, v, await db.ConsentTemplateVersions.AsNoTracking().Where(x => x.TemplateId == v.TemplateId).ToListAsync());
        });

    [Fact]
    public async Task TheRecordsListFiltersByStatusTemplateLanguageDateAndMissingScan()
    {
        var complete = await SignedConsentAsync();
        var gap = await SignedConsentAsync(withScanRecord: false);
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var numbers = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == complete || d.Id == gap)
            .ToDictionaryAsync(d => d.Id, d => d.DocumentNumber));

        var signed = await admin.GetAsync("/ConsentRecords?Status=Signed&Template=consent-bone-marrow&Language=en");
        Assert.Contains(numbers[complete], signed.Document.QuerySelector("#consent-records")!.TextContent);

        var missing = await admin.GetAsync("/ConsentRecords?MissingScan=true");
        var text = missing.Document.QuerySelector("#consent-records")!.TextContent;
        Assert.Contains(numbers[gap], text);
        Assert.DoesNotContain(numbers[complete], text);

        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        var future = await admin.GetAsync($"/ConsentRecords?From={today.AddDays(2):yyyy-MM-dd}");
        Assert.Contains("0 records", future.Document.QuerySelector("#consent-total")!.TextContent);
        var spanish = await admin.GetAsync("/ConsentRecords?Language=es");
        Assert.DoesNotContain(numbers[complete], spanish.Text);
        // A range that ends before it starts is pointed out, not answered with an empty list.
        var backwards = await admin.GetAsync($"/ConsentRecords?From={today:yyyy-MM-dd}&To={today.AddDays(-3):yyyy-MM-dd}");
        Assert.Equal(HttpStatusCode.OK, backwards.Status);
        Assert.Contains("The end date is before the start date.", backwards.Errors);
    }

    [Fact]
    public async Task TheRecordsListShowsThePatientMrnValidityAndWhoObtainedConsentAndSaysWhenNothingMatches()
    {
        var mrn = $"R-{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var signed = await SignedConsentAsync(givenName: "Rosa", familyName: "Listed-Record", mrn: mrn);
        var lapsed = await SignedConsentAsync(signedAgo: TimeSpan.FromDays(91));
        var withdrawn = await SignedConsentAsync(withdraw: true);
        var (number, signedAt, obtainedBy) = await factory.QueryAsync(async db =>
        {
            var d = await db.ConsentDocuments.AsNoTracking().SingleAsync(x => x.Id == signed);
            var name = await db.Users.Where(u => u.Id == d.Signature!.ObtainedById).Select(u => u.DisplayName).SingleAsync();
            return (d.DocumentNumber, d.Signature!.SignedAt, name);
        });
        Assert.False(string.IsNullOrWhiteSpace(obtainedBy));
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        var list = await admin.GetAsync("/ConsentRecords");
        var row = list.Document.QuerySelector($"#consent-records tr[data-document='{number}']")!;
        Assert.Equal("Listed-Record, Rosa", row.QuerySelector(".consent-patient")!.TextContent);
        Assert.Equal(mrn, row.QuerySelector(".consent-mrn")!.TextContent);
        Assert.Equal($"{signedAt.AddDays(ConsentRules.DefaultValidityDays):yyyy-MM-dd}", row.QuerySelector(".consent-valid-until")!.TextContent);
        Assert.Equal(obtainedBy, row.QuerySelector(".consent-obtained-by")!.TextContent);
        Assert.Equal($"/Consents/Verify/{number}", row.QuerySelector("a[href^='/Consents/Verify/']")!.GetAttribute("href"));
        Assert.EndsWith("(lapsed)", list.Document.QuerySelector($"tr[data-document='{await NumberOfAsync(lapsed)}'] .consent-valid-until")!.TextContent);
        Assert.Equal("withdrawn", list.Document.QuerySelector($"tr[data-document='{await NumberOfAsync(withdrawn)}'] .consent-valid-until")!.TextContent);
        Assert.Null(list.Document.QuerySelector("#consent-empty"));

        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        var none = await admin.GetAsync($"/ConsentRecords?From={today.AddDays(2):yyyy-MM-dd}");
        Assert.Contains("No consent record matches this filter.", none.Document.QuerySelector("#consent-empty")!.TextContent);
        Assert.Null(none.Document.QuerySelector("#consent-records"));
        // A reversed range is an error to correct, not an empty result.
        var backwards = await admin.GetAsync($"/ConsentRecords?From={today:yyyy-MM-dd}&To={today.AddDays(-3):yyyy-MM-dd}");
        Assert.Contains("The end date is before the start date.", backwards.Errors);
        Assert.Null(backwards.Document.QuerySelector("#consent-empty"));
    }

    [Theory]
    [InlineData("/ConsentTemplates")]
    [InlineData("/ConsentRecords")]
    public async Task ClinciansCannotManageTemplatesOrReviewAllRecords(string url)
    {
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        Assert.Equal(HttpStatusCode.Forbidden, (await clinician.GetAsync(url)).Status);
    }
}
