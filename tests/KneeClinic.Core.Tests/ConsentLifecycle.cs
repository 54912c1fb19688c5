using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Screening;

namespace KneeClinic.Core.Tests;

public sealed class ConsentLifecycle
{
    private static readonly DateTimeOffset Generated = CaseBuilder.Now;

    private static ConsentDocument NewDocument() =>
        new(Guid.NewGuid(), Guid.NewGuid(), DocumentNumber.Read("KC-2026-000001"), [1, 2, 3], new string('a', 64), "clinician-1", Generated);

    private static ConsentSignature Signature(DateTimeOffset? signedAt = null, bool teachBack = true, string? witness = null,
        string? interpreter = null, string? language = null, string scan = "scan-1.pdf") =>
        new(signedAt ?? Generated.AddMinutes(30), "clinician-1", witness, interpreter, language, teachBack, scan, "application/pdf",
            new string('b', 64), Generated.AddHours(1));

    [Fact]
    public void ASignatureRecordedAfterPrintingMakesTheConsentSigned()
    {
        var document = NewDocument();

        Assert.Null(document.RecordSignature(Signature(), Generated.AddHours(1)));

        Assert.Equal(ConsentStatus.Signed, document.Status);
        Assert.Equal("clinician-1", document.Signature!.ObtainedById);
    }

    [Fact]
    public void ASignedConsentCannotBeSignedAgainOrVoided()
    {
        var document = NewDocument();
        document.RecordSignature(Signature(), Generated.AddHours(1));

        Assert.Equal(ConsentRules.NotAwaitingSignature, document.RecordSignature(Signature(Generated.AddMinutes(40)), Generated.AddHours(2)));
        Assert.Equal(ConsentRules.NotVoidable, document.Void("printed twice", "admin", Generated.AddHours(2)));
        Assert.Equal(Generated.AddMinutes(30), document.Signature!.SignedAt);
    }

    [Fact]
    public void RefusesASigningTimeInTheFutureOrBeforeThePrintout()
    {
        var document = NewDocument();

        Assert.Equal(ConsentRules.SignedInFuture, document.RecordSignature(Signature(Generated.AddHours(3)), Generated.AddHours(1)));
        Assert.Equal(ConsentRules.SignedBeforeGenerated, document.RecordSignature(Signature(Generated.AddMinutes(-1)), Generated.AddHours(1)));
        Assert.Equal(ConsentStatus.Generated, document.Status);
    }

    [Fact]
    public void NeedsTeachBackTheScanAndAWitnessWithAnInterpreter()
    {
        var document = NewDocument();
        var now = Generated.AddHours(1);

        Assert.Equal(ConsentRules.TeachBackRequired, document.RecordSignature(Signature(teachBack: false), now));
        Assert.Equal(ConsentRules.ScanRequired, document.RecordSignature(Signature(scan: ""), now));
        Assert.Equal(ConsentRules.InterpreterLanguageRequired, document.RecordSignature(Signature(interpreter: "Luis Pérez", witness: "W"), now));
        Assert.Equal(ConsentRules.WitnessRequiredWithInterpreter, document.RecordSignature(Signature(interpreter: "Luis Pérez", language: "Spanish"), now));
        Assert.Null(document.RecordSignature(Signature(interpreter: "Luis Pérez", language: "Spanish", witness: "Ana Ruiz"), now));
    }

    [Fact]
    public void ARepresentativeSignsOnlyWithTheirNameRelationshipAndAuthority()
    {
        var now = Generated.AddHours(1);
        ConsentSignature WithRepresentative(LegalRepresentative representative) =>
            new(Generated.AddMinutes(30), "clinician-1", null, null, null, true, "scan-1.pdf", "application/pdf", new string('b', 64), now, representative);

        var document = NewDocument();
        Assert.Equal(ConsentRules.RepresentativeDetailsRequired, document.RecordSignature(WithRepresentative(new("Marta Díaz", null, "Health care power of attorney")), now));
        Assert.Equal(ConsentRules.RepresentativeDetailsRequired, document.RecordSignature(WithRepresentative(new("Marta Díaz", "Daughter", " ")), now));
        Assert.Equal(ConsentRules.RepresentativeDetailsRequired, document.RecordSignature(WithRepresentative(new("", "Daughter", "Health care power of attorney")), now));
        Assert.Equal(ConsentStatus.Generated, document.Status);

        Assert.Null(document.RecordSignature(WithRepresentative(new("Marta Díaz", "Daughter", "Health care power of attorney")), now));
        Assert.Equal(("Marta Díaz", "Daughter", "Health care power of attorney"),
            (document.Signature!.RepresentativeName, document.Signature.RepresentativeRelationship, document.Signature.RepresentativeAuthority));
    }

    [Fact]
    public void TheShortFormRouteNeedsAWitnessAndIsKeptOnTheRecord()
    {
        var document = NewDocument();
        var shortForm = Guid.NewGuid();
        var now = Generated.AddHours(1);

        Assert.Null(document.AttachShortForm(shortForm, ConsentLanguage.Of("fr"), [4, 5, 6], new string('c', 64)));
        Assert.Equal(ConsentRules.NotAwaitingSignature, document.AttachShortForm(Guid.NewGuid(), ConsentLanguage.Of("pt"), [7], new string('d', 64)));

        Assert.Equal(ConsentRules.WitnessRequiredForShortForm, document.RecordSignature(Signature(), now));
        Assert.Null(document.RecordSignature(Signature(witness: "Luc Martin", interpreter: "Luc Martin", language: "French"), now));
        Assert.Equal((ConsentRoute.ShortForm, shortForm, ConsentLanguage.Of("fr")), (document.Route, document.ShortFormVersionId, document.ShortFormLanguage));

        // A form printed for the patient to read themselves needs no witness.
        Assert.Null(NewDocument().RecordSignature(Signature(), now));
        Assert.Equal(ConsentRoute.FullForm, NewDocument().Route);
    }

    [Fact]
    public void OnlyAnUnsignedFormCanBeVoidedAndOnlyWithAReason()
    {
        var document = NewDocument();

        Assert.Equal(ConsentRules.VoidReasonRequired, document.Void(" ", "admin", Generated));
        Assert.Null(document.Void("Wrong knee printed.", "admin", Generated.AddMinutes(5)));
        Assert.Equal(ConsentStatus.Voided, document.Status);
        Assert.Equal(ConsentRules.NotAwaitingSignature, document.RecordSignature(Signature(), Generated.AddHours(1)));
    }

    [Fact]
    public void WithdrawalNeedsASignedConsentAReasonAndAPlausibleDate()
    {
        var document = NewDocument();
        var now = Generated.AddDays(2);
        Assert.Equal(ConsentRules.NotSigned, document.Withdraw(now, "changed mind", "c", now));
        document.RecordSignature(Signature(), Generated.AddHours(1));

        Assert.Equal(ConsentRules.WithdrawalReasonRequired, document.Withdraw(now, "", "c", now));
        Assert.Equal(ConsentRules.WithdrawnInFuture, document.Withdraw(now.AddDays(1), "x", "c", now));
        Assert.Equal(ConsentRules.WithdrawnBeforeSigned, document.Withdraw(Generated, "x", "c", now));
        Assert.Null(document.Withdraw(now, "Changed her mind after talking to family.", "c", now));
        Assert.Equal(ConsentStatus.Withdrawn, document.Status);
    }
}

public sealed class ConsentValidity
{
    private static readonly DateTimeOffset Signed = CaseBuilder.Now;
    private readonly ConsentTemplate _template = new("consent-bone-marrow", "Bone marrow", CellSource.BoneMarrow);
    private readonly ConsentTemplateVersion _v1;
    private readonly ConsentDocument _document;

    public ConsentValidity()
    {
        _v1 = _template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, false, "body", Signed.AddDays(-30));
        _template.Publish(_v1.Id, Signed.AddDays(-30));
        _document = new ConsentDocument(Guid.NewGuid(), _v1.Id, DocumentNumber.Read("KC-1"), [1], new string('a', 64), "c", Signed.AddHours(-1));
        _document.RecordSignature(new ConsentSignature(Signed, "c", null, null, null, true, "scan", "application/pdf", new string('b', 64), Signed),
            Signed.AddMinutes(1));
    }

    private RuleViolation? ValidAt(DateTimeOffset at, int days = ConsentRules.DefaultValidityDays) =>
        _document.ValidFor(at, _v1, _template.Versions, days);

    [Fact]
    public void ASignedConsentIsValidWithinItsWindow()
    {
        Assert.Null(ValidAt(Signed.AddDays(1)));
        Assert.Null(ValidAt(Signed.AddDays(90)));
    }

    [Fact]
    public void ItExpiresAfterTheConfiguredNumberOfDays()
    {
        Assert.Equal(nameof(ConsentRules.ConsentExpired), ValidAt(Signed.AddDays(90).AddMinutes(1))?.Code);
        Assert.Equal(nameof(ConsentRules.ConsentExpired), ValidAt(Signed.AddDays(31), days: 30)?.Code);
    }

    [Fact]
    public void AProcedureBeforeTheSignatureIsNotCovered() =>
        Assert.Equal(nameof(ConsentRules.SignedAfterProcedure), ValidAt(Signed.AddMinutes(-5))?.Code);

    [Fact]
    public void WithdrawalEndsValidityFromItsDate()
    {
        Assert.Null(_document.Withdraw(Signed.AddDays(5), "Changed mind.", "c", Signed.AddDays(5)));

        Assert.Null(ValidAt(Signed.AddDays(4)));
        Assert.Equal(ConsentRules.ConsentWithdrawn, ValidAt(Signed.AddDays(6)));
    }

    [Fact]
    public void PublishingAVersionThatRequiresReconsentSupersedesOlderSignedConsents()
    {
        var v2 = _template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, requiresReconsent: true, "new body", Signed.AddDays(10));
        Assert.Equal(2, v2.Version);
        Assert.Null(ValidAt(Signed.AddDays(11)));

        Assert.Null(_template.Publish(v2.Id, Signed.AddDays(12)));

        Assert.Null(ValidAt(Signed.AddDays(11)));
        Assert.Equal(ConsentRules.ConsentSuperseded, ValidAt(Signed.AddDays(13)));
    }

    [Fact]
    public void AVersionWithoutTheReconsentFlagOrInAnotherLanguageSupersedesNothing()
    {
        var v2 = _template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, requiresReconsent: false, "typo fixed", Signed.AddDays(1));
        var es = _template.NewDraft(ConsentLanguage.Of("es"), CaseBuilder.Today, requiresReconsent: true, "cuerpo", Signed.AddDays(1));
        _template.Publish(v2.Id, Signed.AddDays(2));
        _template.Publish(es.Id, Signed.AddDays(2));

        Assert.Null(ValidAt(Signed.AddDays(3)));
        Assert.Equal(1, es.Version);
    }
}

public sealed class TemplateVersions
{
    [Fact]
    public void WordingAboveItsReadingTargetIsPublishedOnlyWithAReasonThatStays()
    {
        var template = new ConsentTemplate("consent-adipose", "Adipose", CellSource.Adipose);
        var draft = template.AddDraft(1, ConsentLanguage.Of("en"), new DateOnly(2026, 12, 1), false, "body", CaseBuilder.Now);

        Assert.Equal(TemplateRules.ReadingLevelReasonRequired, template.Publish(draft.Id, CaseBuilder.Now, meetsReadingTarget: false));
        Assert.Equal(TemplateRules.ReadingLevelReasonRequired, template.Publish(draft.Id, CaseBuilder.Now, meetsReadingTarget: false, readingLevelReason: "  "));
        Assert.Equal(TemplateVersionStatus.Draft, draft.Status);

        Assert.Null(template.Publish(draft.Id, CaseBuilder.Now, meetsReadingTarget: false, readingLevelReason: " The IRB asked for its exact words. "));
        Assert.Equal(TemplateVersionStatus.Published, draft.Status);
        Assert.Equal("The IRB asked for its exact words.", draft.ReadingLevelReason);

        var plain = template.AddDraft(2, ConsentLanguage.Of("en"), new DateOnly(2026, 12, 1), false, "body", CaseBuilder.Now);
        Assert.Null(template.Publish(plain.Id, CaseBuilder.Now, meetsReadingTarget: true, readingLevelReason: "not needed"));
        Assert.Null(plain.ReadingLevelReason);
    }

    [Fact]
    public void APublishedVersionNeverChangesAndEditingMeansANewDraft()
    {
        var template = new ConsentTemplate("consent-adipose", "Adipose", CellSource.Adipose);
        var v1 = template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, false, "first", CaseBuilder.Now);
        Assert.Null(v1.EditDraft("first, fixed", CaseBuilder.Today, false));
        Assert.Null(template.Publish(v1.Id, CaseBuilder.Now));

        Assert.Equal(TemplateRules.NotADraft, v1.EditDraft("changed", CaseBuilder.Today, false));
        Assert.Equal(TemplateRules.NotADraft, template.Publish(v1.Id, CaseBuilder.Now));
        Assert.Equal("first, fixed", v1.Body);
        Assert.Equal(v1, template.Current(ConsentLanguage.Of("en")));

        var v2 = template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, false, "second", CaseBuilder.Now);
        Assert.Equal(2, v2.Version);
        Assert.Equal(v1, template.Current(ConsentLanguage.Of("en")));
        template.Publish(v2.Id, CaseBuilder.Now);
        Assert.Equal(v2, template.Current(ConsentLanguage.Of("en")));
        Assert.Null(template.Retire(v2.Id, CaseBuilder.Now));
        Assert.Equal(v1, template.Current(ConsentLanguage.Of("en")));
        Assert.Equal(TemplateRules.RetireOnlyPublished, template.Retire(v2.Id, CaseBuilder.Now));
    }

    [Fact]
    public void RetiringTheVersionThatAskedForReconsentDoesNotBringBackTheOldWording()
    {
        var template = new ConsentTemplate("consent-bone-marrow", "Bone marrow", CellSource.BoneMarrow);
        var v1 = template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, false, "old", CaseBuilder.Now);
        template.Publish(v1.Id, CaseBuilder.Now);
        var v2 = template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, requiresReconsent: true, "new", CaseBuilder.Now);
        template.Publish(v2.Id, CaseBuilder.Now);

        // v1 cannot take over, so retiring v2 ends English for this form: asked first.
        Assert.Equal(nameof(TemplateRules.LastOfLanguage), template.Retire(v2.Id, CaseBuilder.Now)?.Code);
        Assert.Null(template.Retire(v2.Id, CaseBuilder.Now, languageEndConfirmed: true));

        Assert.Null(template.Current(ConsentLanguage.Of("en")));
    }

    [Fact]
    public void RetiringTheLastVersionInUseInALanguageIsConfirmedFirst()
    {
        var template = new ConsentTemplate("consent-adipose", "Adipose", CellSource.Adipose);
        var spanish = ConsentLanguage.Of("es");
        var v1 = template.NewDraft(spanish, CaseBuilder.Today, false, "uno", CaseBuilder.Now);
        template.Publish(v1.Id, CaseBuilder.Now);
        var english = template.NewDraft(ConsentLanguage.English, CaseBuilder.Today, false, "one", CaseBuilder.Now);
        template.Publish(english.Id, CaseBuilder.Now);

        var refused = template.Retire(v1.Id, CaseBuilder.Now);
        Assert.Equal(nameof(TemplateRules.LastOfLanguage), refused?.Code);
        Assert.StartsWith("Spanish (español) will no longer be offered for adipose (fat-derived) consent forms", refused!.Message);
        Assert.Equal(TemplateVersionStatus.Published, v1.Status);
        Assert.True(template.RetiringEndsLanguage(v1));

        // With a second Spanish version published, either can go without asking: the other takes over.
        var v2 = template.NewDraft(spanish, CaseBuilder.Today, false, "dos", CaseBuilder.Now);
        Assert.True(template.RetiringEndsLanguage(v1)); // a draft is not offered
        template.Publish(v2.Id, CaseBuilder.Now);
        Assert.False(template.RetiringEndsLanguage(v2));
        Assert.Null(template.Retire(v2.Id, CaseBuilder.Now));
        Assert.Equal(v1, template.Current(spanish));

        // Now v1 is the last again; confirmed, it goes, and Spanish is no longer offered. English is untouched.
        Assert.NotNull(template.Retire(v1.Id, CaseBuilder.Now));
        Assert.Null(template.Retire(v1.Id, CaseBuilder.Now, languageEndConfirmed: true));
        Assert.Null(template.Current(spanish));
        Assert.Equal(english, template.Current(ConsentLanguage.English));
        Assert.Equal(TemplateRules.RetireOnlyPublished, template.Retire(v1.Id, CaseBuilder.Now, languageEndConfirmed: true));
    }

    [Fact]
    public void RetiringTheLastShortFormInALanguageNamesTheShortForm()
    {
        var template = ConsentTemplate.ShortForm("consent-short-form", "Short form");
        var v1 = template.NewDraft(ConsentLanguage.Of("fr"), CaseBuilder.Today, false, "un", CaseBuilder.Now);
        template.Publish(v1.Id, CaseBuilder.Now);

        Assert.StartsWith("French (français) will no longer be offered for short forms", template.Retire(v1.Id, CaseBuilder.Now)!.Message);
    }

    [Fact]
    public void AFormPrintedBeforeTheCurrentDecisionCannotBeSigned()
    {
        var p = new PathwayCase();
        var document = p.Print(CaseBuilder.Now.AddDays(-2));
        Assert.Null(p.Case.RecordCheckup(CaseBuilder.Today.AddDays(-1), "history", null, 5, [], CaseBuilder.Today));
        Assert.Null(p.Case.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now.AddDays(-1)));

        Assert.Equal(ConsentRules.ScreeningChangedSincePrinted,
            p.Case.RecordSignature(document.Id, PathwayCase.Signature(CaseBuilder.Now.AddHours(-1)), p.Terms, CaseBuilder.Now));
        Assert.Equal(CaseStage.Eligible, p.Case.Stage);
        Assert.Equal(ConsentStatus.Generated, document.Status);
    }

    [Fact]
    public void OneFormPerLanguageWaitsForItsSignature()
    {
        var p = new PathwayCase();
        ConsentDocument Printed(string number, string language, int minutes) => new(p.Case.Id, p.Version.Id, DocumentNumber.Read(number), [1],
            new string('a', 64), CaseBuilder.Clinician, CaseBuilder.Now.AddMinutes(minutes), language: ConsentLanguage.Of(language));
        var first = Printed("KC-2026-FIRST001", "en", 0);
        Assert.Null(p.Case.AddConsent(first));

        // A second click on "Generate": refused, and the form that waits is named.
        var again = p.Case.AddConsent(Printed("KC-2026-AGAIN001", "en", 1));
        Assert.Equal(nameof(ConsentRules.FormAwaitingSignature), again?.Code);
        Assert.Contains("KC-2026-FIRST001", again!.Message);
        Assert.Single(p.Case.ConsentDocuments);

        // A form in another language may wait beside it.
        Assert.Null(p.Case.AddConsent(Printed("KC-2026-SPANISH1", "es", 2)));

        // With a reason, the new form replaces the waiting one, which is voided with that reason.
        var replacement = Printed("KC-2026-NEWONE01", "en", 3);
        Assert.Null(p.Case.AddConsent(replacement, "patient spilled coffee on it"));
        Assert.Equal(ConsentStatus.Voided, first.Status);
        Assert.Equal("Replaced by form KC-2026-NEWONE01: patient spilled coffee on it", first.VoidReason);
        Assert.Equal((replacement.GeneratedAt, CaseBuilder.Clinician), (first.VoidedAt!.Value, first.VoidedById));
        Assert.Equal(2, p.Case.ConsentDocuments.Count(d => d.Status == ConsentStatus.Generated));
    }

    [Fact]
    public void ACaseGetsAConsentOnlyWhenEligibleAndBeforeTheInjection()
    {
        var screening = new CaseBuilder().Build();
        Assert.Equal(ConsentRules.NotEligibleForConsent, screening.CanGenerateConsent());

        var p = new PathwayCase();
        Assert.Null(p.Case.CanGenerateConsent());
        var document = p.Sign(CaseBuilder.Now.AddDays(-1));
        Assert.Equal(CaseStage.Consented, p.Case.Stage);
        Assert.Null(p.Case.CanGenerateConsent());

        Assert.Null(p.Withdraw(document, CaseBuilder.Now.AddHours(-1)));
        Assert.Equal(CaseStage.Eligible, p.Case.Stage);
        Assert.Null(p.Case.Close("moved away", CaseBuilder.Now));
        Assert.Equal(ConsentRules.ClosedCaseConsent, p.Case.CanGenerateConsent());
        var late = new ConsentDocument(p.Case.Id, p.Version.Id, DocumentNumber.Read("KC-2026-LATE0001"), [1], new string('a', 64), CaseBuilder.Clinician, CaseBuilder.Now);
        Assert.Equal(ConsentRules.ClosedCaseConsent, p.Case.AddConsent(late));
        Assert.Single(p.Case.ConsentDocuments);
    }
}
