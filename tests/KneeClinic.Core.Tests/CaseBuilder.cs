using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;

namespace KneeClinic.Core.Tests;

/// <summary>Builds cases at a chosen point of screening, so each test states only what it is about.</summary>
internal sealed class CaseBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    public const string Clinician = "clinician-1";

    private readonly List<Contraindication> _contraindications = [];
    private readonly List<Medication> _medications = [];
    private bool _checkup = true;
    private bool _imaging = true;
    private KlGrade? _imagingGrade = KlGrade.Of(2);
    private CellSource _source = CellSource.BoneMarrow;

    public CaseBuilder WithContraindication(Contraindication c) { _contraindications.Add(c); return this; }
    public CaseBuilder WithMedication(MedicationKind kind, string name = "Medicine") { _medications.Add(new Medication(name, null, kind, null, null)); return this; }
    public CaseBuilder WithoutCheckup() { _checkup = false; return this; }
    public CaseBuilder WithoutImaging() { _imaging = false; return this; }
    public CaseBuilder WithImagingGrade(int? grade) { _imagingGrade = KlGrade.Of(grade); return this; }
    public CaseBuilder From(CellSource source) { _source = source; return this; }

    public Case Build()
    {
        var c = new Case(Guid.NewGuid(), KneeSide.Left, _source, null, Clinician, Now.AddDays(-30));
        if (_checkup)
            Assert.Null(c.RecordCheckup(Today.AddDays(-3), "history", null, 6, _contraindications.Select(k => (k, (string?)null)), Today));
        foreach (var m in _medications) Assert.Null(c.AddMedication(m));
        if (_imaging)
            Assert.Null(c.AddImaging(new ImagingStudy(ImagingModality.XRay, Today.AddDays(-5), "narrowing", _imagingGrade), Today));
        return c;
    }

    public Case BuildEligible(DateTimeOffset? decidedAt = null)
    {
        var c = Build();
        Assert.Null(c.DecideEligibility(EligibilityOutcome.Eligible, null, Clinician, decidedAt ?? Now));
        return c;
    }
}
