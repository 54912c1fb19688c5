using KneeClinic.Core;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using KneeClinic.Documents.Consent;
using KneeClinic.Web.Features.Consents;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// Development only: demo staff accounts and fictional patients with cases at every stage (screening, consent
/// awaiting signature, consented, product released, in follow-up with visits, charts and adverse events, a visit
/// overdue, a year completed), so the app is ready to log in and everything can be seen. Each case is walked
/// through the domain's own rules on a clock set back to when each step happened.
/// </summary>
public static class DemoData
{
    public const string AdminEmail = "admin@demo.kneeclinic.test";
    public const string ClinicianEmail = "clinician@demo.kneeclinic.test";

    /// <summary>A second clinician: processing and release are checked by someone other than the operator.</summary>
    public const string VerifierEmail = "verifier@demo.kneeclinic.test";
    public const string Password = "Demo-Clinic-2026!";

    public static async Task SeedAsync(IServiceProvider services, TextWriter console)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();

        await EnsureUserAsync(users, AdminEmail, "Demo Administrator", Roles.Administrator);
        var clinician = await EnsureUserAsync(users, ClinicianEmail, "Dr Demo Clinician", Roles.Clinician);
        var verifier = await EnsureUserAsync(users, VerifierEmail, "Dr Demo Verifier", Roles.Clinician);
        if (!await db.Patients.AnyAsync())
        {
            await SeedPatientsAsync(db, clinician.Id, clock);
            await new Pathways(scope.ServiceProvider, clinician.Id, verifier.Id).SeedAsync();
        }

        await console.WriteLineAsync($"Demo accounts (Development only): {AdminEmail}, {ClinicianEmail} and {VerifierEmail}, password {Password}");
    }

    private static async Task<ClinicUser> EnsureUserAsync(UserManager<ClinicUser> users, string email, string name, string role)
    {
        if (await users.FindByEmailAsync(email) is { } existing) return existing;
        var user = new ClinicUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, role));
        return user;
    }

    private static async Task SeedPatientsAsync(ClinicDbContext db, string clinicianId, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var ana = new Patient(Mrn.Of("DEMO-0001"), "Ana", "Demo-Ruiz", new DateOnly(1968, 4, 12), Sex.Female, now);
        var ben = new Patient(Mrn.Of("DEMO-0002"), "Ben", "Demo-Okafor", new DateOnly(1959, 9, 3), Sex.Male, now);
        var chloe = new Patient(Mrn.Of("DEMO-0003"), "Chloé", "Démo-Lefèvre", new DateOnly(1974, 1, 27), Sex.Female, now);
        db.Patients.AddRange(ana, ben, chloe);

        db.Cases.Add(new Case(ana.Id, KneeSide.Left, CellSource.BoneMarrow, KlGrade.Of(2), clinicianId, now));

        var eligible = new Case(ben.Id, KneeSide.Right, CellSource.Adipose, KlGrade.Of(3), clinicianId, now);
        eligible.RecordCheckup(today.AddDays(-7), "Knee pain for four years; physiotherapy helped a little.", null, 6, [], today);
        eligible.AddMedication(new Medication("Ibuprofen", "400 mg as needed", MedicationKind.Nsaid, today.AddDays(7), today.AddDays(21)));
        eligible.AddImaging(new ImagingStudy(ImagingModality.XRay, today.AddDays(-10), "Moderate medial joint-space narrowing.", KlGrade.Of(3)), today);
        eligible.DecideEligibility(EligibilityOutcome.Eligible, null, clinicianId, now);
        db.Cases.Add(eligible);

        db.Cases.Add(new Case(chloe.Id, KneeSide.Right, CellSource.UmbilicalCord, null, clinicianId, now));
        await db.SaveChangesAsync();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>Demo cases walked along the pathway through the domain, each step at its time in the past.</summary>
    private sealed class Pathways(IServiceProvider services, string clinicianId, string verifierId)
    {
        private readonly ClinicDbContext db = services.GetRequiredService<ClinicDbContext>();
        private readonly ClinicOptions clinic = services.GetRequiredService<IOptions<ClinicOptions>>().Value;
        private readonly ClinicClock today = services.GetRequiredService<ClinicClock>();
        private readonly DemoPathway steps = new(services.GetRequiredService<ClinicClock>(), services.GetRequiredService<IOptions<ClinicOptions>>().Value,
            services.GetRequiredService<CaseWrites>().TermsAsync);

        private DateTimeOffset DaysAgo(int daysAgo, int hour = 9) => steps.DaysAgo(daysAgo, hour);

        private DateOnly Day(int daysAgo) => steps.Day(daysAgo);

        public async Task SeedAsync()
        {
            // Consent printed, waiting for the patient's signature.
            var dana = await ScreenedAsync("DEMO-0004", "Dana", "Demo-Kowalski", new DateOnly(1962, 6, 9), Sex.Female, KneeSide.Left, CellSource.BoneMarrow, 3);
            await PrintAsync(dana, DaysAgo(0, 8));
            await db.SaveChangesAsync();

            // Consented yesterday: the harvest is next.
            var emil = await ScreenedAsync("DEMO-0005", "Emil", "Demo-Nakamura", new DateOnly(1957, 11, 30), Sex.Male, KneeSide.Right, CellSource.Adipose, 6);
            await SignAsync(emil, DaysAgo(1, 10));
            await db.SaveChangesAsync();

            // Harvested and processed this morning, released: the time-out and the injection are next.
            var fatima = await ScreenedAsync("DEMO-0006", "Fatima", "Demo-Haddad", new DateOnly(1966, 2, 17), Sex.Female, KneeSide.Right, CellSource.BoneMarrow, 8);
            await SignAsync(fatima, DaysAgo(3, 10));
            await steps.ObtainAsync(fatima, today.Now.AddHours(-3), clinicianId);
            await steps.ProcessAsync(fatima, today.Now.AddHours(-2), clinicianId, verifierId);
            await db.SaveChangesAsync();

            // Injected ten weeks ago: 2 and 6 weeks recorded, a flare-up that resolved, the 3-month visit coming up.
            var gustavo = await InjectedAsync("DEMO-0007", "Gustavo", "Demo-Silva", new DateOnly(1960, 8, 21), Sex.Male, KneeSide.Left, CellSource.UmbilicalCord, 70);
            await Visit(gustavo, "2 weeks", 5, 2);
            await Visit(gustavo, "6 weeks", 4, 1);
            Check(gustavo.ReportAdverseEvent(new AdverseEventDetails(Day(66), AdverseEventCategory.FlareUp, 1, SeriousCriteria.None, Relatedness.Probable,
                "Warm, swollen knee two days after the injection.", "Ice, rest and paracetamol.", AdverseEventOutcome.Resolved, Day(62)),
                clinicianId, steps.At(DaysAgo(62))));
            await db.SaveChangesAsync();

            // Injected seven and a half months ago: the 6-month visit was not done and its window has closed; an
            // infection needing a hospital stay is still open, with its reporting date.
            var hana = await InjectedAsync("DEMO-0008", "Hana", "Demo-Novak", new DateOnly(1955, 3, 3), Sex.Female, KneeSide.Right, CellSource.BoneMarrow, 230);
            await Visit(hana, "2 weeks", 6, 2);
            await Visit(hana, "6 weeks", 5, 2);
            await Visit(hana, "3 months", 4, 1);
            Check(hana.ReportAdverseEvent(new AdverseEventDetails(Day(5), AdverseEventCategory.Infection, 3, SeriousCriteria.Hospitalisation, Relatedness.Possible,
                "Fever and a hot, swollen knee; admitted for intravenous antibiotics.", "Joint aspirated; cultures sent.", AdverseEventOutcome.Ongoing, null),
                clinicianId, steps.At(DaysAgo(4))));
            await db.SaveChangesAsync();

            // A year completed: every visit recorded, the knee much better.
            var ivan = await InjectedAsync("DEMO-0009", "Ivan", "Demo-Petrov", new DateOnly(1963, 12, 5), Sex.Male, KneeSide.Left, CellSource.Adipose, 380);
            var pain = 6;
            foreach (var label in new[] { "2 weeks", "6 weeks", "3 months", "6 months", "12 months" })
                await Visit(ivan, label, --pain < 2 ? 2 : pain, label is "2 weeks" or "6 weeks" ? 2 : 1);
            await db.SaveChangesAsync();
        }

        private async Task<Case> ScreenedAsync(string mrn, string given, string family, DateOnly born, Sex sex, KneeSide knee, CellSource source, int daysAgo)
        {
            var patient = new Patient(Mrn.Of(mrn), given, family, born, sex, DaysAgo(daysAgo));
            var @case = steps.Screened(patient.Id, knee, source, 3, 7, DemoPathway.Koos(2), clinicianId, daysAgo);
            db.AddRange(patient, @case);
            await db.SaveChangesAsync();
            return @case;
        }

        private async Task PrintAsync(Case @case, DateTimeOffset at)
        {
            var generation = new ConsentGeneration(db, services.GetRequiredService<ConsentTemplateLibrary>(), services.GetRequiredService<ConsentRenderer>(),
                services.GetRequiredService<Documents.Fonts.FontSet>(), Options.Create(clinic), steps.At(at));
            var site = clinic.PublicBaseUrl is { Length: > 0 } publicBase ? publicBase : "http://localhost:5080";
            Check(await generation.GenerateAsync(@case, DocumentNumber.New(at), "en", clinicianId, site));
        }

        /// <summary>Prints the form, and the patient signs it half an hour later; the clinic's copy of the PDF stands for the scan.</summary>
        private async Task SignAsync(Case @case, DateTimeOffset printedAt)
        {
            await PrintAsync(@case, printedAt);
            await using var pdf = new MemoryStream(@case.ConsentDocuments[^1].Content);
            var scan = await services.GetRequiredService<ScanStore>().SaveAsync(new FormFile(pdf, 0, pdf.Length, "scan", "scan.pdf"), "application/pdf");
            await steps.SignAsync(@case, printedAt, clinicianId, scan);
        }

        private async Task<Case> InjectedAsync(string mrn, string given, string family, DateOnly born, Sex sex, KneeSide knee, CellSource source, int daysAgo)
        {
            var @case = await ScreenedAsync(mrn, given, family, born, sex, knee, source, daysAgo + 10);
            await SignAsync(@case, DaysAgo(daysAgo + 3, 10));
            await steps.InjectAsync(@case, daysAgo, clinicianId, verifierId);
            return @case;
        }

        private Task Visit(Case @case, string label, int pain, int koos) =>
            steps.VisitAsync(@case.Visits.Single(v => v.Label == label), @case, clinicianId, pain, DemoPathway.Koos(koos));

        private static void Check(RuleViolation? violation) => DemoPathway.Check(violation);
    }
}
