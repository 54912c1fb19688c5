using System.Diagnostics;
using System.Net;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Over 50,000 patients, page 2,400 of the list (rows 47,981 to 48,000) is a seek in the name index: the right rows, no
/// OFFSET in its SQL, and a plan that searches the index rather than reading and sorting every patient.
/// </summary>
public sealed class DeepPatientPage(SqlLoggingClinicFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SqlLoggingClinicFactory>
{
    private const int Patients = 50_000;

    private static string Id(int i) => $"00000000-0000-7000-8000-{i:D12}";

    [Fact]
    public async Task PageTwoThousandFourHundredIsASeekInTheNameIndex()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var started = Stopwatch.GetTimestamp();
        // Every required column, in one statement: row i sorts i-th ("deep00001 pat", "deep00002 pat", ...). All the text is this test's own.
#pragma warning disable EF1003
        await factory.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Patients}) "
            + "INSERT INTO \"Patients\" (\"Id\", \"Mrn\", \"GivenName\", \"FamilyName\", \"SearchName\", \"DateOfBirth\", \"Sex\", \"PhoneSearch\", \"CreatedAt\", \"Version\") "
            + "SELECT printf('00000000-0000-7000-8000-%012d', i), printf('DEEP-%05d', i), 'Pat', printf('Deep%05d', i), printf('deep%05d pat', i), "
            + "'1960-01-01', 'Unknown', '', 0, '" + Guid.NewGuid().ToString().ToUpperInvariant() + "' FROM n"));
#pragma warning restore EF1003
        output.WriteLine($"seeded {Patients:N0} patients in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:N0} ms");

        var first = await TimedAsync("/Patients");
        Assert.Equal("DEEP-00001", Mrns(first)[0]);
        Assert.Contains("more than 1,000 patients", first.Document.QuerySelector("#patient-count")!.TextContent);

        // Page 2,400 starts after row 47,980.
        var deep = await TimedAsync($"/Patients?after={Id(47_980)}");
        var commands = PagingSql.Commands(factory);
        Assert.Equal(HttpStatusCode.OK, deep.Status);
        Assert.Equal([.. Enumerable.Range(47_981, 20).Select(i => $"DEEP-{i:D5}")], Mrns(deep));
        Assert.DoesNotContain(commands, c => c.Contains("OFFSET", StringComparison.OrdinalIgnoreCase));
        var deepSql = Assert.Single(commands, c => c.Contains("FROM \"Patients\"") && c.Contains("ORDER BY") && c.Contains("LIMIT"));
        var plan = await PagingSql.PlanAsync(factory, deepSql);
        output.WriteLine(deepSql);
        output.WriteLine(string.Join(Environment.NewLine, plan));
        Assert.Contains(plan, step => step.StartsWith("SEARCH p USING ", StringComparison.Ordinal) && step.Contains("INDEX IX_Patients_SearchName_Id (SearchName>?)"));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE"));
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN p", StringComparison.Ordinal));

        // Its links go on from its own rows, and Last is the reverse order's first page.
        var next = await session.GetAsync(deep.Document.QuerySelector("a[data-page=Next]")!.GetAttribute("href")!);
        Assert.Equal([.. Enumerable.Range(48_001, 20).Select(i => $"DEEP-{i:D5}")], Mrns(next));
        var previous = await session.GetAsync(deep.Document.QuerySelector("a[data-page=Previous]")!.GetAttribute("href")!);
        Assert.Equal([.. Enumerable.Range(47_961, 20).Select(i => $"DEEP-{i:D5}")], Mrns(previous));
        var last = await TimedAsync(deep.Document.QuerySelector("a[data-page=Last]")!.GetAttribute("href")!);
        Assert.Equal([.. Enumerable.Range(49_981, 20).Select(i => $"DEEP-{i:D5}")], Mrns(last));
        Assert.Null(last.Document.QuerySelector("a[data-page=Next]"));
        Assert.DoesNotContain("DEEP", deep.Document.QuerySelector("a[data-page=Next]")!.GetAttribute("href")!);

        // A name search by the start of its words ("pat deep479": 100 patients, 47,900 to 47,999) looks the words up in
        // their index, where LIKE '%deep479%' read every patient.
        await factory.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"PatientNameWords\" (\"PatientId\", \"Word\", \"SearchName\") SELECT \"Id\", substr(\"SearchName\", 1, 9), \"SearchName\" FROM \"Patients\" WHERE \"Mrn\" LIKE 'DEEP-%' "
            + "UNION ALL SELECT \"Id\", 'pat', \"SearchName\" FROM \"Patients\" WHERE \"Mrn\" LIKE 'DEEP-%'"));
        var list = await session.GetAsync("/Patients");
        await session.SubmitAsync(list, "#patient-search", WebSession.Fields(("Name", "Pat Deep479"))); // warm
        PagingSql.Clear(factory);
        started = Stopwatch.GetTimestamp();
        var found = await session.SubmitAsync(list, "#patient-search", WebSession.Fields(("Name", "Pat Deep479")));
        output.WriteLine($"name search 'Pat Deep479': {Stopwatch.GetElapsedTime(started).TotalMilliseconds:N1} ms over HTTP");
        Assert.Equal([.. Enumerable.Range(47_900, 20).Select(i => $"DEEP-{i:D5}")], Mrns(found));
        Assert.Contains("100 patients", found.Document.QuerySelector("#patient-count")!.TextContent);
        // The page is read from the index of words, with the names it is listed by; its 20 patients then by id.
        var search = Assert.Single(PagingSql.Commands(factory), c => c.Contains("FROM \"PatientNameWords\"") && c.Contains("ORDER BY") && c.Contains("LIMIT"));
        Assert.DoesNotContain(PagingSql.Commands(factory), c => c.Contains("FROM \"Patients\"") && c.Contains("ORDER BY"));
        Assert.DoesNotContain("LIKE", search);
        var searchPlan = await PagingSql.PlanAsync(factory, search);
        output.WriteLine(search);
        output.WriteLine(string.Join(Environment.NewLine, searchPlan));
        Assert.Contains(searchPlan, step => step.Contains("USING COVERING INDEX IX_PatientNameWords_Word_SearchName_PatientId (Word>? AND Word<?)"));
        Assert.DoesNotContain(searchPlan, step => step.Contains("Patients"));

        // For the record, what the list cost as it was: the whole table counted, then OFFSET over 47,980 rows.
        var offset = await PagingSql.TimeAsync(factory, "SELECT COUNT(*) FROM \"Patients\"; SELECT p.\"Id\", p.\"Mrn\", p.\"GivenName\", p.\"FamilyName\", "
            + "p.\"DateOfBirth\", (SELECT COUNT(*) FROM \"Cases\" c WHERE c.\"PatientId\" = p.\"Id\" AND c.\"Stage\" NOT IN ('Closed', 'Completed')) "
            + "FROM \"Patients\" p ORDER BY p.\"FamilyName\", p.\"GivenName\", p.\"Mrn\" LIMIT 20 OFFSET 47980");
        output.WriteLine($"as it was (COUNT + OFFSET 47,980), straight on the file: {offset.TotalMilliseconds:N1} ms");
    }

    private async Task<WebSession.Page> TimedAsync(string url)
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        await session.GetAsync(url); // warm: the first request compiles the queries
        PagingSql.Clear(factory);
        var started = Stopwatch.GetTimestamp();
        var page = await session.GetAsync(url);
        var took = Stopwatch.GetElapsedTime(started);
        var sql = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand"))
            .Select(l => l[(l.IndexOf('(') + 1)..l.IndexOf("ms)", StringComparison.Ordinal)]).ToList();
        output.WriteLine($"{url}: {took.TotalMilliseconds:N1} ms over HTTP; SQL {string.Join(" + ", sql)} ms");
        return page;
    }

    private static string[] Mrns(WebSession.Page page) =>
        [.. page.Document.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim())];
}
