using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;

namespace KneeClinic.Core.Tests;

public sealed class CaseScreeningInputs
{
    [Fact]
    public void RefusesACheckupDatedInTheFuture()
    {
        var c = new CaseBuilder().WithoutCheckup().Build();

        Assert.Equal(CaseRules.CheckupInFuture, c.RecordCheckup(CaseBuilder.Today.AddDays(1), null, null, 5, [], CaseBuilder.Today));
        Assert.Null(c.Screening.CheckupDate);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void RefusesPainOutsideZeroToTen(int pain)
    {
        var c = new CaseBuilder().WithoutCheckup().Build();

        Assert.Equal(CaseRules.PainOutOfRange, c.RecordCheckup(CaseBuilder.Today, null, null, pain, [], CaseBuilder.Today));
        Assert.Null(c.Screening.BaselinePainNrs);
    }

    [Fact]
    public void RecordingTheCheckupAgainReplacesTheChecklist()
    {
        var c = new CaseBuilder().WithContraindication(Contraindication.CancerHistory).Build();

        Assert.Null(c.RecordCheckup(CaseBuilder.Today, null, null, 4,
            [(Contraindication.BleedingDisorder, "haemophilia A"), (Contraindication.BleedingDisorder, "duplicate")], CaseBuilder.Today));

        var finding = Assert.Single(c.Screening.Contraindications);
        Assert.Equal(Contraindication.BleedingDisorder, finding.Kind);
        Assert.Equal("haemophilia A", finding.Notes);
        Assert.Equal(PainScore.Of(4), c.Screening.BaselinePainNrs);
    }

    [Fact]
    public void RefusesAResumeDateBeforeThePause()
    {
        var c = new CaseBuilder().Build();
        var med = new Medication("Aspirin", "75 mg", MedicationKind.Anticoagulant, CaseBuilder.Today.AddDays(5), CaseBuilder.Today.AddDays(2));

        Assert.Equal(CaseRules.ResumeBeforePause, c.AddMedication(med));
        Assert.Empty(c.Screening.Medications);
    }

    [Fact]
    public void RefusesImagingInTheFuture()
    {
        var c = new CaseBuilder().WithoutImaging().Build();

        Assert.Equal(CaseRules.ImagingInFuture,
            c.AddImaging(new ImagingStudy(ImagingModality.Mri, CaseBuilder.Today.AddDays(1), "x", KlGrade.Of(2)), CaseBuilder.Today));
        Assert.Empty(c.Screening.Imaging);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(int.MaxValue)]
    public void AnImpossibleGradeCannotBeMade(int grade)
    {
        Assert.Null(KlGrade.From(grade));
        Assert.Throws<ArgumentOutOfRangeException>(() => KlGrade.Of(grade));
    }

    [Fact]
    public void GradesZeroToFourAreGradesAndFourIsEndStage()
    {
        Assert.Equal([0, 1, 2, 3, 4], Enumerable.Range(-3, 12).Where(g => KlGrade.From(g) is not null));
        Assert.Equal([4], Enumerable.Range(0, 5).Where(g => KlGrade.Of(g).IsEndStage));
        Assert.Equal([0, 10], new[] { -1, 0, 10, 11 }.Where(p => PainScore.From(p) is not null));
    }

    [Fact]
    public void TheLatestGradedImagingSetsTheCaseGrade()
    {
        var c = new CaseBuilder().WithoutImaging().Build();

        c.AddImaging(new ImagingStudy(ImagingModality.XRay, CaseBuilder.Today.AddDays(-1), "newer", KlGrade.Of(3)), CaseBuilder.Today);
        c.AddImaging(new ImagingStudy(ImagingModality.XRay, CaseBuilder.Today.AddDays(-100), "older", KlGrade.Of(1)), CaseBuilder.Today);
        c.AddImaging(new ImagingStudy(ImagingModality.Mri, CaseBuilder.Today, "no grade", null), CaseBuilder.Today);

        Assert.Equal(KlGrade.Of(3), c.KellgrenLawrenceGrade);
    }

    [Fact]
    public void RemovingAnUnknownEntryIsReported()
    {
        var c = new CaseBuilder().Build();

        Assert.Equal(CaseRules.NotFound, c.RemoveMedication(Guid.NewGuid()));
        Assert.Equal(CaseRules.NotFound, c.RemoveImaging(Guid.NewGuid()));
    }
}
