using System.Net;
using System.Text.RegularExpressions;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The dashboard over 3,000 open cases: it answers with a page of them, and no query sends the open cases back as a list
/// of ids (SQLite refuses tens of thousands of parameters, SQL Server more than 2,100).
/// </summary>
public sealed partial class DashboardAtScale(SqlLoggingClinicFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SqlLoggingClinicFactory>
{
    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();

    [Fact]
    public async Task ThreeThousandOpenCasesRenderWithoutAParameterPerCase()
    {
        var email = $"busy-{Guid.NewGuid():N}@clinic.test";
        var clinician = await factory.CreateUserAsync(email, Roles.Clinician);
        var now = factory.Clock.GetUtcNow();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var batch = 0; batch < 3000; batch += 100)
        {
            await factory.QueryAsync(async db =>
            {
                for (var i = batch; i < batch + 100; i++)
                {
                    var patient = new Patient(Mrn.Of($"SCALE-{i:D5}"), "Pat", $"Scale-{i:D5}", new DateOnly(1960, 1, 1).AddDays(i), Sex.Female, now);
                    // Case 2,999 opened last: the dashboard lists the most recently opened first.
                    db.AddRange(patient, new Case(patient.Id, KneeSide.Left, CellSource.BoneMarrow, null, clinician.Id, now.AddMinutes(i - 3000)));
                }
                return await db.SaveChangesAsync();
            });
        }
        output.WriteLine($"seeded at {System.Diagnostics.Stopwatch.GetElapsedTime(started)}");
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);

        foreach (var url in new[] { "/Dashboard", "/Dashboard?all=true" })
        {
            while (factory.Logs.Lines.TryDequeue(out _)) { }
            var page = await session.GetAsync(url);
            output.WriteLine($"{url} at {System.Diagnostics.Stopwatch.GetElapsedTime(started)}");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            // A page of them, the most recently opened first, and a way on to the rest.
            Assert.Equal(Features.Dashboard.DashboardController.PageSize, page.Document.QuerySelectorAll("tr[data-case]").Length);
            Assert.Contains("Scale-02999", page.Document.QuerySelector("tr[data-case]")!.TextContent);
            Assert.NotNull(page.Document.QuerySelector("a[data-page=Next]"));
            // (The page's view is recorded in the trail by one row of its own, whatever the number of cases.)
            var commands = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand") && !l.Contains("INSERT INTO \"AuditEntries\"")).ToList();
            Assert.NotEmpty(commands);
            var most = commands.Max(c => Parameter().Matches(c[..c.IndexOf("CommandType", StringComparison.Ordinal)]).Count);
            Assert.True(most <= 5, $"{url}: a command with {most} parameters:\n{string.Join("\n", commands)}");
        }
    }
}
