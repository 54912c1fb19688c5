using System.Net;
using KneeClinic.Core.Staff;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The database file goes away while the app runs (outside Development): pages answer with the generic error
/// page, /health is Unhealthy, no empty database is made in its place, and all works again once it is back.
/// </summary>
public sealed class DatabaseOutage(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    private static readonly string[] Leaks = ["SqliteException", "SQLite Error", "unable to open", " at Microsoft.", " at KneeClinic.", "Müller"];

    [Fact]
    public async Task AMissingDatabaseGivesTheErrorPageAndUnhealthyAndTheAppRecoversWhenItReturns()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var form = await session.GetAsync("/Patients/Create");
        var saved = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", $"OUT-{Guid.NewGuid():N}"[..16]), ("GivenName", "Zoë"), ("FamilyName", "Müller-Øvergård"), ("DateOfBirth", "1961-03-14"), ("Sex", "Female")));
        var details = saved.Location!;
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);

        var away = Directory.CreateTempSubdirectory("kneeclinic-away-").FullName;
        SqliteConnection.ClearAllPools();
        var moved = new List<string>();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (!File.Exists(factory.DatabaseFile + suffix)) continue;
            File.Move(factory.DatabaseFile + suffix, Path.Combine(away, "kneeclinic.db" + suffix));
            moved.Add(suffix);
        }

        var page = await session.GetAsync(details);
        var post = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", "OUT-LOST"), ("GivenName", "Ana"), ("FamilyName", "Müller"), ("DateOfBirth", "1970-01-01"), ("Sex", "Female")));
        var health = await anonymous.GetAsync("/health");
        var healthText = await health.Content.ReadAsStringAsync();
        output.WriteLine($"database away: page {(int)page.Status}, form post {(int)post.Status}, /health {(int)health.StatusCode} {healthText}");

        foreach (var failed in new[] { page, post })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.Status);
            Assert.Contains("Something went wrong", failed.Text);
            Assert.Contains("cannot be reached", failed.Text);
            foreach (var leak in Leaks) Assert.DoesNotContain(leak, failed.Text);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", healthText);
        Assert.False(File.Exists(factory.DatabaseFile), "the app made a new empty database in place of the missing one");

        foreach (var suffix in moved)
            File.Move(Path.Combine(away, "kneeclinic.db" + suffix), factory.DatabaseFile + suffix);
        Directory.Delete(away, recursive: true);

        var back = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal("Healthy", await back.Content.ReadAsStringAsync());
        var again = await session.GetAsync(details);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("Müller-Øvergård", again.Text);
        var retried = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", $"OUT-{Guid.NewGuid():N}"[..16]), ("GivenName", "Ana"), ("FamilyName", "Back"), ("DateOfBirth", "1970-01-01"), ("Sex", "Female")));
        Assert.Equal(HttpStatusCode.Redirect, retried.Status);
        output.WriteLine($"database back: /health {(int)back.StatusCode}, page {(int)again.Status}, form post {(int)retried.Status}");

        // The failures are logged for the administrator, without the patient's name.
        Assert.Contains(factory.Logs.Lines, l => l.Contains("unable to open database file"));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("Müller") || l.Contains("Øvergård"));
    }
}
