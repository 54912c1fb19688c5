using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;

namespace KneeClinic.Core.Tests;

public sealed class CaseDecideEligibility
{
    private const string Justification = "Anticoagulant paused for 5 days with the cardiologist's agreement.";

    [Fact]
    public void EligibleWithNoContraindicationsMovesTheCaseToEligible()
    {
        var c = new CaseBuilder().Build();

        Assert.Null(c.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now));

        Assert.Equal(CaseStage.Eligible, c.Stage);
        Assert.True(c.Screening.IsEligible);
        Assert.Equal(CaseBuilder.Clinician, c.Screening.DecidedById);
        Assert.Equal(CaseBuilder.Now, c.Screening.DecidedAt);
        Assert.Empty(c.Screening.OverriddenContraindications);
    }

    [Fact]
    public void RefusesADecisionBeforeTheCheckup()
    {
        var c = new CaseBuilder().WithoutCheckup().Build();

        Assert.Equal(CaseRules.CheckupMissing, c.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now));
        Assert.Equal(CaseStage.Screening, c.Stage);
    }

    [Fact]
    public void RefusesADecisionWithoutImaging()
    {
        var c = new CaseBuilder().WithoutImaging().Build();

        Assert.Equal(CaseRules.ImagingMissing, c.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now));
    }

    [Theory]
    [InlineData(Contraindication.ActiveInfection)]
    [InlineData(Contraindication.BleedingDisorder)]
    [InlineData(Contraindication.AnticoagulantTherapy)]
    [InlineData(Contraindication.CancerHistory)]
    [InlineData(Contraindication.ChronicDiseaseOrFrailty)]
    [InlineData(Contraindication.SevereKneeDamage)]
    public void RefusesPlainEligibleWhenAnyContraindicationIsPresent(Contraindication present)
    {
        var c = new CaseBuilder().WithContraindication(present).Build();

        var violation = c.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now);

        Assert.Equal(nameof(CaseRules.ContraindicationPresent), violation?.Code);
        Assert.Contains(present.DisplayName(), violation!.Message);
        Assert.Equal(CaseStage.Screening, c.Stage);
        Assert.Null(c.Screening.Decision);
    }

    [Fact]
    public void AnAnticoagulantOnTheMedicationListCountsAsAContraindicationEvenIfNotTicked()
    {
        var c = new CaseBuilder().WithMedication(MedicationKind.Anticoagulant, "Apixaban").Build();

        Assert.Contains(Contraindication.AnticoagulantTherapy, c.Screening.PresentContraindications());
        Assert.Equal(nameof(CaseRules.ContraindicationPresent),
            c.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now)?.Code);
    }

    [Fact]
    public void AnNsaidIsFlaggedButIsNoContraindication()
    {
        var c = new CaseBuilder().WithMedication(MedicationKind.Nsaid, "Ibuprofen").Build();

        Assert.True(c.Screening.Medications.Single().NeedsAttention);
        Assert.Empty(c.Screening.PresentContraindications());
    }

    [Fact]
    public void GradeFourOnImagingCountsAsSevereKneeDamage()
    {
        var c = new CaseBuilder().WithImagingGrade(4).Build();

        Assert.Contains(Contraindication.SevereKneeDamage, c.Screening.PresentContraindications());
        Assert.Equal(KlGrade.Of(4), c.KellgrenLawrenceGrade);
    }

    [Fact]
    public void OverrideWithJustificationRecordsWhatWasOverriddenAndWhoDecided()
    {
        var c = new CaseBuilder()
            .WithContraindication(Contraindication.CancerHistory)
            .WithMedication(MedicationKind.Anticoagulant)
            .Build();

        Assert.Null(c.DecideEligibility(EligibilityOutcome.EligibleWithOverride, Justification, "clinician-2", CaseBuilder.Now));

        Assert.Equal(CaseStage.Eligible, c.Stage);
        Assert.Equal([Contraindication.AnticoagulantTherapy, Contraindication.CancerHistory], c.Screening.OverriddenContraindications);
        Assert.Equal(Justification, c.Screening.DecisionReason);
        Assert.Equal("clinician-2", c.Screening.DecidedById);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("seems fine")]
    public void OverrideNeedsARealJustification(string? justification)
    {
        var c = new CaseBuilder().WithContraindication(Contraindication.CancerHistory).Build();

        Assert.Equal(CaseRules.JustificationRequired,
            c.DecideEligibility(EligibilityOutcome.EligibleWithOverride, justification, CaseBuilder.Clinician, CaseBuilder.Now));
        Assert.Equal(CaseStage.Screening, c.Stage);
    }

    [Fact]
    public void ActiveInfectionCannotBeOverridden()
    {
        var c = new CaseBuilder().WithContraindication(Contraindication.ActiveInfection).Build();

        Assert.Equal(CaseRules.ActiveInfectionNotOverridable,
            c.DecideEligibility(EligibilityOutcome.EligibleWithOverride, Justification, CaseBuilder.Clinician, CaseBuilder.Now));
        Assert.Equal(CaseStage.Screening, c.Stage);
    }

    [Fact]
    public void OverrideWithNothingToOverrideIsRefused()
    {
        var c = new CaseBuilder().Build();

        Assert.Equal(CaseRules.NothingToOverride,
            c.DecideEligibility(EligibilityOutcome.EligibleWithOverride, Justification, CaseBuilder.Clinician, CaseBuilder.Now));
    }

    [Fact]
    public void NotEligibleNeedsAReason()
    {
        var c = new CaseBuilder().Build();

        Assert.Equal(CaseRules.NotEligibleReasonRequired, c.DecideEligibility(EligibilityOutcome.NotEligible, " ", CaseBuilder.Clinician, CaseBuilder.Now));
        Assert.Null(c.DecideEligibility(EligibilityOutcome.NotEligible, "Prefers knee replacement.", CaseBuilder.Clinician, CaseBuilder.Now));
        Assert.Equal(CaseStage.NotEligible, c.Stage);
        Assert.False(c.Screening.IsEligible);
    }

    [Fact]
    public void ChangingTheScreeningAfterADecisionReopensIt()
    {
        var c = new CaseBuilder().BuildEligible();

        Assert.Null(c.AddMedication(new Medication("Warfarin", "5 mg", MedicationKind.Anticoagulant, null, null)));

        Assert.Equal(CaseStage.Screening, c.Stage);
        Assert.Null(c.Screening.Decision);
        Assert.Equal(nameof(CaseRules.ContraindicationPresent),
            c.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now)?.Code);
    }

    [Fact]
    public void AClosedCaseTakesNoDecision()
    {
        var c = new CaseBuilder().Build();
        Assert.Null(c.Close("Patient moved away.", CaseBuilder.Now));

        Assert.Equal(CaseRules.CaseClosed, c.DecideEligibility(EligibilityOutcome.Eligible, null, CaseBuilder.Clinician, CaseBuilder.Now));
        Assert.Equal(CaseRules.CaseClosed, c.AddImaging(new ImagingStudy(ImagingModality.Mri, CaseBuilder.Today, "x", KlGrade.Of(1)), CaseBuilder.Today));
        Assert.Equal(CaseRules.CaseClosed, c.Close("again", CaseBuilder.Now));
    }
}
