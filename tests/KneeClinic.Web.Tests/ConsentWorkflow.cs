using System.Net;
using System.Security.Cryptography;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Consents;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>Generate, print, sign with a scan, withdraw, void and verify, through the real forms.</summary>
public sealed class ConsentWorkflow(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static readonly byte[] PdfScan = [.. "%PDF-1.4\n% scanned signed form\n"u8, .. new byte[2000]];

    private string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm");

    private Task<(WebSession Session, Guid CaseId)> EligibleCaseAsync(CellSource source = CellSource.BoneMarrow, bool eligible = true)
    {
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        return factory.ClinicianWithScreenedCaseAsync(source, eligible,
            medication: new Medication("Apixaban", "5 mg", MedicationKind.Anticoagulant, today.AddDays(3), today.AddDays(8)));
    }

    private async Task<(WebSession Session, Guid CaseId, ConsentDocument Document)> GeneratedAsync(string language = "en",
        CellSource source = CellSource.BoneMarrow)
    {
        var (session, caseId) = await EligibleCaseAsync(source);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        var generated = await session.SubmitAsync(casePage, "#generate-consent", Fields(("Consent.Language", language)));
        Assert.Equal(HttpStatusCode.Redirect, generated.Status);
        var document = await factory.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.CaseId == caseId));
        return (session, caseId, document);
    }

    private async Task<WebSession.Page> SignAsync(WebSession session, Guid documentId, DateTimeOffset signedAt, byte[]? scan = null,
        string fileName = "scan.pdf", string contentType = "application/pdf", bool teachBack = true, string? witness = null, string? interpreter = null)
    {
        var form = await session.GetAsync($"/Consents/Sign/{documentId}");
        return await session.UploadAsync(form, "form[enctype='multipart/form-data']", Fields(
                ("Form.SignedAt", Local(signedAt)), ("Form.TeachBackConfirmed", teachBack ? "true" : "false"),
                ("Form.WitnessName", witness), ("Form.InterpreterName", interpreter)),
            "Form.Scan", fileName, scan ?? PdfScan, contentType);
    }

    private string[] StoredScans() =>
        Directory.Exists(Path.Combine(factory.DataDirectory, "scans")) ? Directory.GetFiles(Path.Combine(factory.DataDirectory, "scans")) : [];

    [Fact]
    public async Task AClinicianGeneratesPrintsAndRecordsTheSigningAndTheRecordThenNeverChanges()
    {
        var (session, caseId, document) = await GeneratedAsync();
        Assert.Equal(ConsentStatus.Generated, document.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document.Content)), document.Sha256);

        // Every download returns exactly the stored bytes, and the PDF is this patient's form.
        var download = await session.Client.GetAsync($"/Consents/Download/{document.Id}");
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(document.Content, await download.Content.ReadAsByteArrayAsync());
        // It opens in the browser to print, named by its number if saved, and is never cached.
        Assert.Equal(("inline", $"{document.DocumentNumber}.pdf"), (download.Content.Headers.ContentDisposition!.DispositionType,
            download.Content.Headers.ContentDisposition.FileNameStar));
        Assert.True(download.Headers.CacheControl!.NoStore);
        using (var pdf = PdfDocument.Open(document.Content))
        {
            var words = pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
            Assert.Contains("Müller-Øvergård", words);
            Assert.Contains(document.DocumentNumber, words);
            Assert.Contains("Apixaban", words);
        }

        // (Steps under 20 minutes: the session ends after 20 idle minutes.)
        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        var signed = await SignAsync(session, document.Id, document.GeneratedAt.AddMinutes(10), witness: "Ana Ruiz");
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);

        var saved = await factory.QueryAsync(db => db.ConsentDocuments.AsNoTracking().SingleAsync(d => d.Id == document.Id));
        Assert.Equal(ConsentStatus.Signed, saved.Status);
        Assert.Equal("Ana Ruiz", saved.Signature!.WitnessName);
        Assert.Equal("application/pdf", saved.Signature.ScanContentType);
        Assert.NotEqual("scan.pdf", saved.Signature.ScanFileName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(PdfScan)), saved.Signature.ScanSha256);
        Assert.Equal(CaseStage.Consented, await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Stage).SingleAsync()));
        var scan = await session.Client.GetAsync($"/Consents/Scan/{document.Id}");
        Assert.Equal(PdfScan, await scan.Content.ReadAsByteArrayAsync());
        Assert.Equal(("inline", $"{document.DocumentNumber}-signed.pdf"), (scan.Content.Headers.ContentDisposition!.DispositionType,
            scan.Content.Headers.ContentDisposition.FileNameStar));
        Assert.True(scan.Headers.CacheControl!.NoStore);

        // Signed means immutable: a second signature is refused and nothing changes.
        var again = await SignAsync(session, document.Id, document.GeneratedAt.AddMinutes(15), witness: "Someone Else");
        Assert.Contains(again.Errors, e => e.StartsWith("Only a consent that is waiting for its signature"));
        var after = await factory.QueryAsync(db => db.ConsentDocuments.AsNoTracking().SingleAsync(d => d.Id == document.Id));
        Assert.Equal("Ana Ruiz", after.Signature!.WitnessName);
        Assert.Equal(document.Content, after.Content);
    }

    [Theory]
    [InlineData(CellSource.BoneMarrow, "en", "investigational")]
    [InlineData(CellSource.BoneMarrow, "es", "investigación")]
    [InlineData(CellSource.Adipose, "en", "investigational")]
    [InlineData(CellSource.Adipose, "es", "investigación")]
    [InlineData(CellSource.UmbilicalCord, "en", "investigational")]
    [InlineData(CellSource.UmbilicalCord, "es", "investigación")]
    public async Task EveryCellSourceGetsItsOwnFormInEitherLanguageAndCanBeSigned(CellSource source, string language, string word)
    {
        var (session, caseId, document) = await GeneratedAsync(language, source);

        var (code, formLanguage) = await factory.QueryAsync(db => db.ConsentTemplateVersions.Where(v => v.Id == document.TemplateVersionId)
            .Join(db.ConsentTemplates, v => v.TemplateId, t => t.Id, (v, t) => new { t.Code, t.CellSource, v.Language })
            .Select(x => new ValueTuple<string, ConsentLanguage>(x.Code + "/" + x.CellSource, x.Language)).SingleAsync());
        Assert.EndsWith("/" + source, code);
        Assert.Equal(language, formLanguage.Tag);
        using (var pdf = PdfDocument.Open(document.Content))
            Assert.Contains(word, string.Join(' ', pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)));

        factory.Clock.Advance(TimeSpan.FromMinutes(3));
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        Assert.Equal(HttpStatusCode.Redirect, (await SignAsync(session, document.Id, document.GeneratedAt, png, "scan.png", "image/png")).Status);
        Assert.Equal(CaseStage.Consented, await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Stage).SingleAsync()));
    }

    [Theory]
    [InlineData("not-really.pdf", "text/plain", "The file is not a PDF, PNG or JPEG")]
    [InlineData("evil.png", "image/png", "The file is not a PDF, PNG or JPEG")]
    [InlineData("huge.pdf", "application/pdf", "The scan is larger than 10 MB")]
    public async Task AWrongOrOversizedScanIsRejectedAndNothingIsStored(string fileName, string contentType, string message)
    {
        var (session, _, document) = await GeneratedAsync();
        var before = StoredScans().Length;
        byte[] content = fileName == "huge.pdf"
            ? [.. "%PDF-1.7\n"u8, .. new byte[ScanStore.MaxBytes]]
            : fileName == "evil.png" ? "<html><script>alert(1)</script></html>"u8.ToArray() : "just some text"u8.ToArray();
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var page = await SignAsync(session, document.Id, document.GeneratedAt.AddMinutes(1), content, fileName, contentType);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(page.Errors, e => e.StartsWith(message));
        Assert.Equal(before, StoredScans().Length);
        Assert.Equal(ConsentStatus.Generated, (await factory.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.Id == document.Id))).Status);
    }

    [Fact]
    public async Task ASigningTimeBeforeThePrintoutIsRejectedAndTheUploadIsNotKept()
    {
        var (session, _, document) = await GeneratedAsync();
        var before = StoredScans().Length;

        var page = await SignAsync(session, document.Id, document.GeneratedAt.AddHours(-2));

        Assert.Contains("The signing time is before this form was printed. Check the date and time.", page.Errors);
        Assert.Equal(before, StoredScans().Length);
        Assert.Equal(ConsentStatus.Generated, (await factory.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.Id == document.Id))).Status);
    }

    [Fact]
    public async Task WithdrawalMakesTheConsentInvalidForAnyProcedure()
    {
        var (session, caseId, document) = await GeneratedAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Redirect, (await SignAsync(session, document.Id, document.GeneratedAt.AddMinutes(5))).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(15));
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");

        var withdrawn = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action='/Consents/Withdraw/{document.Id}']",
            Fields(("Withdraw.WithdrawnAt", Local(factory.Clock.GetUtcNow().AddMinutes(-2))), ("Withdraw.Reason", "Decided on knee replacement instead."))));

        Assert.Contains("Withdrawn", withdrawn.Document.QuerySelector("#consents")!.TextContent);
        var (saved, version, versions) = await factory.QueryAsync(async db =>
        {
            var d = await db.ConsentDocuments.AsNoTracking().SingleAsync(x => x.Id == document.Id);
            var v = await db.ConsentTemplateVersions.AsNoTracking().SingleAsync(x => x.Id == d.TemplateVersionId);
            return (d, v, await db.ConsentTemplateVersions.AsNoTracking().Where(x => x.TemplateId == v.TemplateId).ToListAsync());
        });
        Assert.Equal(ConsentStatus.Withdrawn, saved.Status);
        Assert.Equal(ConsentRules.ConsentWithdrawn, saved.ValidFor(factory.Clock.GetUtcNow(), version, versions));
        Assert.Equal(CaseStage.Eligible, await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.Stage).SingleAsync()));
    }

    [Fact]
    public async Task AnUnsignedFormCanBeVoidedAndStaysOnRecord()
    {
        var (session, caseId, document) = await GeneratedAsync("es");
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");

        var voided = await session.FollowAsync(await session.SubmitAsync(casePage, $"form[action='/Consents/Void/{document.Id}']",
            Fields(("Void.Reason", "Printed in the wrong language."))));

        Assert.Contains("Printed in the wrong language.", voided.Document.QuerySelector("#consents")!.TextContent);
        var saved = await factory.QueryAsync(db => db.ConsentDocuments.AsNoTracking().SingleAsync(d => d.Id == document.Id));
        Assert.Equal(ConsentStatus.Voided, saved.Status);
        Assert.Equal(document.Content, saved.Content);
    }

    [Fact]
    public async Task NoConsentIsMadeBeforeTheEligibilityDecision()
    {
        var (session, caseId) = await EligibleCaseAsync(eligible: false);
        var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
        Assert.Null(casePage.Document.QuerySelector("#generate-consent"));
        var token = casePage.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var posted = await session.FollowAsync(await WebSession.Page.ReadAsync(await session.Client.PostAsync($"/Consents/Generate/{caseId}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Consent.Language"] = "en" }))));

        Assert.Contains("screening has found the patient eligible", posted.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.False(await factory.QueryAsync(db => db.ConsentDocuments.AnyAsync(d => d.CaseId == caseId)));
    }

    [Fact]
    public async Task StaffCanVerifyAPrintedFormAndSeeWhenTheStoredFileWasAltered()
    {
        var (session, _, document) = await GeneratedAsync();
        var verify = await session.GetAsync("/Consents/Verify");

        var intact = await session.SubmitAsync(verify, "form[action='/Consents/Verify']", Fields(("Number", document.DocumentNumber.Value.ToLowerInvariant())));
        Assert.Equal("Generated", intact.Document.QuerySelector("#verify-status")!.TextContent);
        Assert.Contains("Intact", intact.Document.QuerySelector("#verify-integrity")!.TextContent);
        Assert.Contains(document.ContentHash[..16], intact.Text);

        await factory.QueryAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE ConsentDocuments SET Content = {new byte[] { 1, 2, 3 }} WHERE Id = {document.Id}"));
        // The QR code's address: capitals, the number in the path.
        var scanned = new Uri(ConsentGeneration.VerificationLink("http://localhost", document.DocumentNumber)).AbsolutePath;
        Assert.Equal($"/CONSENTS/VERIFY/{document.DocumentNumber}", scanned);
        var altered = await session.GetAsync(scanned);
        Assert.Contains("Altered", altered.Document.QuerySelector("#verify-integrity")!.TextContent);

        var unknown = await session.SubmitAsync(verify, "form[action='/Consents/Verify']", Fields(("Number", "KC-2026-NOPE")));
        Assert.Contains("No consent form has this number", unknown.Text);
    }
}
