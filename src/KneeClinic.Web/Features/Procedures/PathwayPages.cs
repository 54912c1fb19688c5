using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Procedures;

/// <summary>Who and which knee a page about one case is for, shown at its top.</summary>
public sealed record CaseHeading(Guid CaseId, string PatientName, Mrn Mrn, KneeSide Knee, CellSource Source, CaseStage Stage, Guid CaseVersion, Guid PatientId)
{
    public static Task<CaseHeading?> LoadAsync(ClinicDbContext db, Guid caseId) =>
        db.Cases.AsNoTracking().Where(c => c.Id == caseId)
            .Join(db.Patients, c => c.PatientId, p => p.Id,
                (c, p) => new CaseHeading(c.Id, Patient.ListName(p.FamilyName, p.GivenName), p.Mrn, c.Knee, c.CellSource, c.Stage, c.Version, p.Id))
            .FirstOrDefaultAsync();
}

public sealed class VisitPage
{
    public required CaseHeading Heading { get; init; }
    public required FollowUpVisit Visit { get; init; }
    public VisitForm Form { get; set; } = new();

    public static async Task<VisitPage?> LoadAsync(ClinicDbContext db, Guid visitId)
    {
        var visit = await db.FollowUpVisits.AsNoTracking().FirstOrDefaultAsync(v => v.Id == visitId);
        if (visit is null || await CaseHeading.LoadAsync(db, visit.CaseId) is not { } heading) return null;
        return new VisitPage { Heading = heading, Visit = visit, Form = new VisitForm { Version = heading.CaseVersion } };
    }
}

public sealed class BaselineKoosPage
{
    public required CaseHeading Heading { get; init; }
    public KoosScores? Current { get; init; }
    public BaselineKoosForm Form { get; set; } = new();

    public static async Task<BaselineKoosPage?> LoadAsync(ClinicDbContext db, Guid caseId)
    {
        if (await CaseHeading.LoadAsync(db, caseId) is not { } heading) return null;
        var screening = await db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => c.Screening).FirstAsync();
        return new BaselineKoosPage
        {
            Heading = heading,
            Current = screening.BaselineKoos,
            Form = new BaselineKoosForm { Version = heading.CaseVersion, Koos = KoosForm.From(screening.BaselineKoosAnswers) },
        };
    }
}

public sealed class AdverseEventPage
{
    public required CaseHeading Heading { get; init; }
    public required AdverseEvent Event { get; init; }
    public AdverseEventForm Form { get; set; } = new();
    public EnteredInErrorForm Error { get; set; } = new();

    public static async Task<AdverseEventPage?> LoadAsync(ClinicDbContext db, Guid eventId)
    {
        var adverseEvent = await db.AdverseEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId);
        if (adverseEvent is null || await CaseHeading.LoadAsync(db, adverseEvent.CaseId) is not { } heading) return null;
        return new AdverseEventPage
        {
            Heading = heading,
            Event = adverseEvent,
            Form = AdverseEventForm.From(adverseEvent, heading.CaseVersion),
            Error = new EnteredInErrorForm { Version = heading.CaseVersion, EventVersion = adverseEvent.Version },
        };
    }
}

/// <summary>What a product label carries: the product, and the patient it was made for.</summary>
public sealed record ProductLabel(Core.Procedures.CellProduct Product, Guid PatientId, string PatientName, DateOnly DateOfBirth, Mrn Mrn, KneeSide Knee);
