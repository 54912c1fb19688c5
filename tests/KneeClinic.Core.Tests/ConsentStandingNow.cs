using KneeClinic.Core.Consent;
using KneeClinic.Core.Patients;

namespace KneeClinic.Core.Tests;

/// <summary>Whether one printed form allows a procedure now, and why not: what the verification page says about a paper.</summary>
public sealed class ConsentStandingNow
{
    private static readonly DateTimeOffset Now = PathwayCase.Now;

    [Fact]
    public void ASignedFormIsValidUntilTheValidityPeriodAfterItsSignature()
    {
        var p = new PathwayCase();
        var document = p.Sign(Now.AddDays(-10));

        var standing = p.Terms.Standing(document, Now);

        Assert.True(standing.Valid);
        Assert.Null(standing.WhyNot);
        Assert.Equal(Now.AddDays(-10).AddDays(ConsentRules.DefaultValidityDays), standing.ValidUntil);
    }

    [Fact]
    public void AFormNotSignedYetOrVoidedAllowsNothingAndHasNoDate()
    {
        var p = new PathwayCase();
        var waiting = p.Print(Now);
        Assert.Equal(new ConsentStanding(ConsentRules.FormNotSignedYet, null), p.Terms.Standing(waiting, Now));

        Assert.Null(p.Case.VoidConsent(waiting.Id, "printed with the wrong knee", CaseBuilder.Clinician, Now));
        Assert.Equal(new ConsentStanding(ConsentRules.FormVoided, null), p.Terms.Standing(waiting, Now));
    }

    [Fact]
    public void AWithdrawnConsentAllowsNothingEvenWithinItsPeriod()
    {
        var p = new PathwayCase();
        var document = p.Sign(Now.AddDays(-5));
        Assert.Null(p.Withdraw(document, Now.AddDays(-1)));

        var standing = p.Terms.Standing(document, Now);

        Assert.False(standing.Valid);
        Assert.Equal(ConsentRules.ConsentWithdrawn, standing.WhyNot);
    }

    [Fact]
    public void AConsentLapsesTheMomentItsPeriodEndsAndTheClinicsPeriodIsUsed()
    {
        var p = new PathwayCase();
        var signed = Now.AddDays(-30);
        var document = p.Sign(signed);
        var terms = new ConsentTerms(p.Template.Versions, validityDays: 30);

        Assert.True(terms.Standing(document, signed.AddDays(30)).Valid);
        var lapsed = terms.Standing(document, signed.AddDays(30).AddTicks(1));
        Assert.Equal(ConsentRules.ConsentLapsed(30), lapsed.WhyNot);
        Assert.Contains("more than 30 days ago", lapsed.WhyNot!.Message);
        Assert.Equal(signed.AddDays(30), lapsed.ValidUntil);
    }

    [Fact]
    public void ANewerVersionThatAsksForReconsentEndsTheConsentOnceItIsPublished()
    {
        var p = new PathwayCase();
        var document = p.Sign(Now.AddDays(-3));
        var newer = p.Template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, requiresReconsent: true, "new wording", Now.AddDays(-2));
        Assert.True(p.Terms.Standing(document, Now).Valid);

        Assert.Null(p.Template.Publish(newer.Id, Now.AddDays(-1)));

        Assert.Equal(ConsentRules.ConsentSuperseded, p.Terms.Standing(document, Now).WhyNot);
        Assert.True(p.Terms.Standing(document, Now.AddDays(-1).AddTicks(-1)).Valid);
    }

    [Theory]
    [InlineData("Müller-Øvergård", "Zoë", "Z. M.")]
    [InlineData("de la Cruz", "ana", "A. D.")]
    [InlineData("Ruiz", "E\u0301lodie", "E\u0301. R.")]
    public void InitialsAreTheFirstLetterOfEachName(string family, string given, string initials) =>
        Assert.Equal(initials, Patient.Initials(family, given));
}
