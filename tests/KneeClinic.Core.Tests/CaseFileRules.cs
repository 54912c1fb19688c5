using System.Reflection;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Procedures;

namespace KneeClinic.Core.Tests;

/// <summary>The rules that used to live in controllers, now on the case file and the patient in Core.</summary>
public sealed class CaseFileRules
{
    private static readonly DateTimeOffset Now = PathwayCase.Now;

    [Fact]
    public void WithdrawingOneConsentEndsEverySignedConsentOfTheCaseNoneBeforeItsOwnSigning()
    {
        var p = new PathwayCase();
        var first = p.Sign(Now.AddDays(-10));
        var second = p.Sign(Now.AddDays(-2)); // signed again, e.g. after new wording
        var unsigned = p.Print(Now.AddHours(-1));

        Assert.Null(p.Withdraw(first, Now.AddDays(-5)));

        Assert.Equal(ConsentStatus.Withdrawn, first.Status);
        Assert.Equal(Now.AddDays(-5), first.WithdrawnAt);
        Assert.Equal(ConsentStatus.Withdrawn, second.Status);
        Assert.Equal(second.Signature!.SignedAt, second.WithdrawnAt);
        Assert.Equal(ConsentStatus.Generated, unsigned.Status);
        Assert.Equal(CaseStage.Eligible, p.Case.Stage);
        Assert.Equal(PathwayRules.NotConsented, p.Obtain());
    }

    [Fact]
    public void AWithdrawalNeedsAReasonAndChangesNothingWithout()
    {
        var p = new PathwayCase();
        var document = p.Sign(Now.AddDays(-1));

        Assert.Equal(ConsentRules.WithdrawalReasonRequired, p.Case.WithdrawConsent(document.Id, Now, " ", CaseBuilder.Clinician, Now));
        Assert.Equal(ConsentRules.DocumentNotOfCase, p.Case.WithdrawConsent(Guid.NewGuid(), Now, "x", CaseBuilder.Clinician, Now));
        Assert.Equal(ConsentStatus.Signed, document.Status);
        Assert.Equal(CaseStage.Consented, p.Case.Stage);
    }

    [Fact]
    public void AFormPrintedOnWordingSinceReplacedIsRefusedAtSigning()
    {
        var p = new PathwayCase();
        var document = p.Print(Now.AddDays(-3));
        var v2 = p.Template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, requiresReconsent: true, "new risks", Now.AddDays(-2));
        Assert.Null(p.Template.Publish(v2.Id, Now.AddDays(-2)));

        Assert.Equal(ConsentRules.PrintedOnSupersededVersion,
            p.Case.RecordSignature(document.Id, PathwayCase.Signature(Now.AddHours(-1)), p.Terms, Now));
        Assert.Equal(ConsentStatus.Generated, document.Status);
        Assert.Equal(CaseStage.Eligible, p.Case.Stage);
    }

    [Fact]
    public void ASignatureTooOldForAProcedureIsNotRecordedAsValid()
    {
        var p = new PathwayCase();
        var document = p.Print(Now.AddDays(-100));
        Assert.Equal(nameof(ConsentRules.ConsentExpired),
            p.Case.RecordSignature(document.Id, PathwayCase.Signature(Now.AddDays(-95)), p.Terms, Now)?.Code);
        Assert.Null(document.Signature);
    }

    [Fact]
    public void TheCurrentProductIsTheLatestNotRejected()
    {
        var p = new PathwayCase();
        p.Sign(Now.AddDays(-1));
        Assert.Null(p.Case.CurrentProduct);
        Assert.Null(p.Obtain(Now.AddHours(-8)));
        var first = p.Case.CurrentProduct;
        Assert.NotNull(first);

        Assert.Null(p.Process(p.Processing(ReleaseDecision.Rejected, start: Now.AddHours(-7)) with { ReleaseNote = "Clotted sample" }));
        Assert.Null(p.Case.CurrentProduct);

        Assert.Null(p.Obtain());
        Assert.NotSame(first, p.Case.CurrentProduct);
        Assert.Equal(2, p.Case.Products.Count);
    }

    [Fact]
    public void ADonorProductKeepsTheCasesCellSource()
    {
        var p = new PathwayCase(CellSource.UmbilicalCord);
        p.Sign(Now.AddDays(-1));
        Assert.Null(p.Obtain());
        Assert.Equal(p.Case.CellSource, p.Product!.Source);
        Assert.NotNull(p.Product.Receipt);
    }

    [Fact]
    public void EveryCellSourceHasAProfile()
    {
        foreach (var source in Enum.GetValues<CellSource>())
        {
            var profile = source.Profile();
            Assert.Equal(source, profile.Source);
            Assert.Equal(profile.Autologous, profile.Obtained == ProductOrigin.Harvest);
            Assert.False(string.IsNullOrWhiteSpace(profile.Title));
        }
        Assert.False(CellSource.UmbilicalCord.IsAutologous());
        Assert.Equal("Product receipt", CellSource.UmbilicalCord.Profile().ObtainStep);
    }

    [Theory]
    [InlineData(CellSource.BoneMarrow, PathwayStep.Harvest)]
    [InlineData(CellSource.UmbilicalCord, PathwayStep.Receipt)]
    public void TheCaseSaysWhichStepItWaitsFor(CellSource source, PathwayStep obtain)
    {
        Assert.Equal(PathwayStep.Screening, new CaseBuilder().From(source).Build().NextStep);
        var p = new PathwayCase(source);
        Assert.Equal(PathwayStep.Consent, p.Case.NextStep);
        p.Sign(Now.AddDays(-1));
        Assert.Equal(obtain, p.Case.NextStep);
        Assert.Null(p.Obtain());
        Assert.Equal(PathwayStep.Processing, p.Case.NextStep);
        Assert.Null(p.Process());
        Assert.Equal(PathwayStep.Injection, p.Case.NextStep);
        Assert.Null(p.Inject());
        Assert.Equal(PathwayStep.FollowUp, p.Case.NextStep);
        Assert.Null(p.Case.Close("moved away", Now));
        Assert.Equal(PathwayStep.None, p.Case.NextStep);
    }

    [Fact]
    public void AKneeHasAtMostOneOpenCase()
    {
        Assert.Equal(CaseRules.KneeAlreadyOpen(KneeSide.Left), Case.MayOpen(KneeSide.Left, [KneeSide.Left]));
        Assert.Equal("This patient already has an open case for the left knee.", Case.MayOpen(KneeSide.Left, [KneeSide.Left])!.Message);
        Assert.Null(Case.MayOpen(KneeSide.Right, [KneeSide.Left]));

        var c = new CaseBuilder().Build();
        Assert.True(c.IsOpen);
        Assert.Null(c.Close("moved away", Now));
        Assert.False(c.IsOpen);
    }

    [Fact]
    public void APatientsBirthDateIsInThePastAndBelievable()
    {
        var today = CaseBuilder.Today;
        Assert.Equal([PatientRules.BornInFuture], Patient.Check("K-1", "Ana", "Ruiz", today, today));
        Assert.Equal([PatientRules.TooOld], Patient.Check("K-1", "Ana", "Ruiz", today.AddYears(-131), today));
        Assert.Empty(Patient.Check("K-1", "Ana", "Ruiz", today.AddYears(-130), today));
        Assert.Equal(nameof(Patient.DateOfBirth), PatientRules.BornInFuture.Member);
    }

    [Fact]
    public void APatientsNameHoldsNoControlCharacter()
    {
        var problems = Patient.Check("K-1", "Ana\t", "Ru\u001biz", new DateOnly(1950, 1, 1), CaseBuilder.Today);
        Assert.Equal([nameof(Patient.GivenName), nameof(Patient.FamilyName)], problems.Select(p => p.Member));
        Assert.All(problems, p => Assert.Equal(nameof(PatientRules.ControlCharacter), p.Code));
        Assert.Empty(Patient.Check("K-1", "Zoë", "O'Neil-Ångström", new DateOnly(1950, 1, 1), CaseBuilder.Today));
    }

    [Fact]
    public void EveryRuleHasItsOwnCode()
    {
        var rules = typeof(RuleViolation).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m switch
            {
                FieldInfo f => f.FieldType == typeof(RuleViolation),
                PropertyInfo p => p.PropertyType == typeof(RuleViolation),
                MethodInfo x => x.ReturnType == typeof(RuleViolation) && !x.IsSpecialName,
                _ => false,
            })
            .Select(m => (Member: $"{m.DeclaringType!.Name}.{m.Name}", Code: m switch
            {
                FieldInfo f => ((RuleViolation)f.GetValue(null)!).Code,
                PropertyInfo p => ((RuleViolation)p.GetValue(null)!).Code,
                _ => m.Name, // a rule with an argument in its message is named after its method
            }))
            .ToList();

        Assert.True(rules.Count > 80, $"only {rules.Count} rules found");
        var duplicates = rules.GroupBy(r => r.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => r.Member))}");
        Assert.Empty(duplicates);
    }
}
