using System.Security.Cryptography;
using System.Text;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>The seed-demo command: the same seed gives the same patients, cases and visits, every stage is there, a database with patients is left alone.</summary>
public sealed class DemoDataGeneration
{
    // One instant for every clinic here (a fake clock only goes forward): the data is dated from it.
    private static readonly DateTimeOffset Now = new(DateTime.UtcNow.Date.AddDays(1).AddHours(12), TimeSpan.Zero);

    private static Task<(int Exit, string Output)> SeedAsync(ClinicFactory clinic, params string[] args) => SeedWithPasswordAsync(clinic, null, args);

    private static async Task<(int Exit, string Output)> SeedWithPasswordAsync(ClinicFactory clinic, string? clinicianPassword, params string[] args)
    {
        var output = new StringWriter();
        var exit = await SeedDemoCommand.RunAsync(clinic.Services, clinic.Services.GetRequiredService<IConfiguration>(), args, output, redrawProgress: false,
            clinicianPassword);
        return (exit, output.ToString());
    }

    private static ClinicFactory Clinic()
    {
        var clinic = new ClinicFactory();
        clinic.Clock.SetUtcNow(Now);
        return clinic;
    }

    /// <summary>
    /// SHA-256 over everything generated except what the domain makes from its own random source when a record is created:
    /// ids, versions and product codes.
    /// </summary>
    private static async Task<string> DigestAsync(ClinicFactory clinic)
    {
        await using var scope = clinic.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var patients = await db.Patients.AsNoTracking().ToListAsync();
        var mrnOf = patients.ToDictionary(p => p.Id, p => p.Mrn.Value);
        var emailOf = await db.Users.ToDictionaryAsync(u => u.Id, u => u.Email);
        var cases = await db.Cases.AsNoTracking().Include(c => c.ConsentDocuments).Include(c => c.Visits).Include(c => c.AdverseEvents)
            .Include(c => c.Products).Include(c => c.Injection).AsSplitQuery().ToListAsync();
        var text = new StringBuilder();
        foreach (var p in patients.OrderBy(p => p.Mrn.Value, StringComparer.Ordinal))
            text.AppendLine($"P|{p.Mrn.Value}|{p.GivenName}|{p.FamilyName}|{p.DateOfBirth:O}|{p.Sex}|{p.Phone}|{p.CreatedAt:O}");
        foreach (var c in cases.OrderBy(c => mrnOf[c.PatientId], StringComparer.Ordinal).ThenBy(c => c.OpenedAt).ThenBy(c => c.Knee))
        {
            text.AppendLine($"C|{mrnOf[c.PatientId]}|{c.Knee}|{c.CellSource}|{c.KellgrenLawrenceGrade?.Value}|{c.Stage}|{emailOf[c.AssignedClinicianId]}|{c.OpenedAt:O}|{c.ClosedAt:O}|{c.CloseReason}");
            foreach (var d in c.ConsentDocuments.OrderBy(d => d.GeneratedAt))
                text.AppendLine($"  D|{d.DocumentNumber.Value}|{d.Sha256}|{d.GeneratedAt:O}|{d.Signature?.SignedAt:O}");
            foreach (var product in c.Products) text.AppendLine($"  X|{product.IsReleased}|{product.Processing?.DecidedAt:O}");
            if (c.Injection is { } injection) text.AppendLine($"  I|{injection.PerformedAt:O}|{injection.Knee}");
            foreach (var v in c.Visits.OrderBy(v => v.DueOn))
                text.AppendLine($"  V|{v.Label}|{v.DueOn:O}|{v.Status}|{v.VisitedAt:O}|{v.PainNrs?.Value}|{v.KoosAnswers}|{v.MarkedMissedOn:O}");
            foreach (var e in c.AdverseEvents.OrderBy(e => e.OnsetOn).ThenBy(e => e.ReportedAt))
                text.AppendLine($"  A|{e.OnsetOn:O}|{e.Category}|{e.CtcaeGrade}|{e.Serious}|{e.Outcome}|{e.ResolvedOn:O}|{e.ReportedAt:O}");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameDataAndAnotherSeedOtherData()
    {
        await using var first = Clinic();
        await using var second = Clinic();
        await using var other = Clinic();

        Assert.Equal(0, (await SeedAsync(first, "--patients", "200", "--seed", "42")).Exit);
        Assert.Equal(0, (await SeedAsync(second, "--patients", "200", "--seed", "42")).Exit);
        Assert.Equal(0, (await SeedAsync(other, "--patients", "200", "--seed", "43")).Exit);

        Assert.NotEqual(first.DatabaseFile, second.DatabaseFile);
        var digest = await DigestAsync(first);
        Assert.Equal(digest, await DigestAsync(second));
        Assert.NotEqual(digest, await DigestAsync(other));
    }

    [Fact]
    public async Task PutsCasesAtEveryStageWithVisitsAdverseEventsAndOneAuditEvent()
    {
        await using var clinic = Clinic();

        var (exit, output) = await SeedAsync(clinic, "--patients", "200", "--seed", "7");

        Assert.True(exit == 0, output);
        Assert.Contains("Generated 200 patients", output);
        await using var scope = clinic.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        Assert.Equal(200, await db.Patients.CountAsync());
        var cases = await db.Cases.CountAsync();
        Assert.InRange(cases, 300, 500);
        var stages = await db.Cases.GroupBy(c => c.Stage).Select(g => g.Key).ToListAsync();
        Assert.Equal(Enum.GetValues<CaseStage>().Order(), stages.Order());
        // Consent printed and waiting, and signed; visits with pain and KOOS; some missed; adverse events of several grades.
        Assert.True(await db.ConsentDocuments.AnyAsync(d => d.Signature == null));
        Assert.True(await db.ConsentDocuments.AnyAsync(d => d.Signature != null));
        Assert.True(await db.FollowUpVisits.AnyAsync(v => v.Status == VisitStatus.Completed && v.PainNrs != null && v.KoosAnswers != null));
        Assert.True(await db.FollowUpVisits.AnyAsync(v => v.Status == VisitStatus.Missed));
        Assert.True((await db.AdverseEvents.Select(e => e.CtcaeGrade).Distinct().CountAsync()) >= 3);
        Assert.True((await db.Cases.Select(c => c.AssignedClinicianId).Distinct().CountAsync()) >= 5);
        // Names from several languages, accents kept.
        var names = await db.Patients.Select(p => p.GivenName + " " + p.FamilyName).ToListAsync();
        Assert.Contains(names, n => n.IndexOfAny(['ü', 'ł', 'ç', 'ø', 'é']) >= 0);
        Assert.True(names.Distinct().Count() > 150);

        // The rows are not audited one by one; the run is, in the chain.
        var events = await db.AuditEntries.Where(e => e.Entity == "DemoData").ToListAsync();
        var run = Assert.Single(events);
        Assert.Contains("seed-demo generated 200 patients with seed 7", run.NewValues);
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Entity == nameof(Patient)));
        Assert.True((await clinic.Services.GetRequiredService<AuditHeads>().VerifyAsync(db)).Intact);
    }

    [Fact]
    public async Task RefusesADatabaseThatHoldsPatientsUnlessAppending()
    {
        await using var clinic = Clinic();
        Assert.Equal(0, (await SeedAsync(clinic, "--patients", "20", "--seed", "1")).Exit);

        var (exit, output) = await SeedAsync(clinic, "--patients", "20", "--seed", "2");

        Assert.Equal(1, exit);
        Assert.Contains("already holds patients", output);
        Assert.Contains("--append", output);
        await using (var scope = clinic.Services.CreateAsyncScope())
            Assert.Equal(20, await scope.ServiceProvider.GetRequiredService<ClinicDbContext>().Patients.CountAsync());

        Assert.Equal(0, (await SeedAsync(clinic, "--patients", "20", "--seed", "2", "--append")).Exit);
        await using (var scope = clinic.Services.CreateAsyncScope())
            Assert.Equal(40, await scope.ServiceProvider.GetRequiredService<ClinicDbContext>().Patients.CountAsync());
    }

    [Fact]
    public async Task TheGeneratedCliniciansCanSignInOnlyWhenAPasswordIsGiven()
    {
        await using var locked = Clinic();
        Assert.Equal(0, (await SeedAsync(locked, "--patients", "5", "--seed", "3")).Exit);
        await using var open = Clinic();
        Assert.Equal(0, (await SeedWithPasswordAsync(open, "Load-bench-Passw0rd!", "--patients", "5", "--seed", "3")).Exit);

        await using (var scope = locked.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            var clinician = await users.FindByEmailAsync($"clinician1@{DemoGenerator.ClinicianDomain}");
            Assert.NotNull(clinician);
            Assert.Null(clinician.PasswordHash);
        }
        using var session = open.Session();
        var signIn = await session.LogInAsync($"clinician1@{DemoGenerator.ClinicianDomain}", "Load-bench-Passw0rd!");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.Status);
        var dashboard = await session.GetAsync("/Dashboard");
        Assert.Equal(System.Net.HttpStatusCode.OK, dashboard.Status);
        Assert.NotEmpty(dashboard.Document.QuerySelectorAll("a[href^='/Cases/Details/']"));
    }

    [Theory]
    [InlineData]
    [InlineData("--patients")]
    [InlineData("--patients", "0")]
    [InlineData("--patients", "many")]
    [InlineData("--patients", "10", "--seed", "x")]
    [InlineData("--patients", "10", "--colour")]
    public async Task ExplainsItsUsageForBadArguments(params string[] args)
    {
        await using var clinic = Clinic();

        var (exit, output) = await SeedAsync(clinic, args);

        Assert.Equal(2, exit);
        Assert.Contains("Usage: seed-demo --patients", output);
    }
}
