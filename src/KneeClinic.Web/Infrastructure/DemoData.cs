using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

/// <summary>Development only: demo staff accounts and a few fictional patients, so the app is ready to log in.</summary>
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
        await EnsureUserAsync(users, VerifierEmail, "Dr Demo Verifier", Roles.Clinician);
        if (!await db.Patients.AnyAsync())
            await SeedPatientsAsync(db, clinician.Id, clock);

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
}
