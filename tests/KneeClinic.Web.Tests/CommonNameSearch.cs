using System.Diagnostics;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Over 50,000 patients, a name search for a common start ("mar", one patient in five) reads the list in the order of its
/// name index and checks each patient's words by key until the page is full: no sort of the thousands that match. A rare
/// name ("zq", 50 patients) is still picked from the index of words and sorted. Either way the rows and the paging are right.
/// </summary>
public sealed class CommonNameSearch(SqlLoggingClinicFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SqlLoggingClinicFactory>
{
    private const int Patients = 50_000;

    [Fact]
    public async Task ACommonStartReadsTheNameIndexInOrderAndARareOneSortsItsFewMatches()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var started = Stopwatch.GetTimestamp();
        // Patient i: given name by i % 10 (Maria and Marek, "mar", are one in five), family name "famNN" by i % 40 (so each
        // family name is scattered over the list's order), but "Zquist" for every 1,000th. All the text is this test's own.
#pragma warning disable EF1003
        await factory.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Patients}), "
            + "named(i, given, family) AS (SELECT i, CASE i % 10 WHEN 0 THEN 'Maria' WHEN 1 THEN 'Marek' WHEN 2 THEN 'Anna' WHEN 3 THEN 'John' WHEN 4 THEN 'Olga' "
            + "WHEN 5 THEN 'Peter' WHEN 6 THEN 'Sara' WHEN 7 THEN 'Tom' WHEN 8 THEN 'Ugo' ELSE 'Vera' END, "
            + "CASE WHEN i % 1000 = 0 THEN 'Zquist' ELSE printf('Fam%02d', i % 40) END FROM n) "
            + "INSERT INTO \"Patients\" (\"Id\", \"Mrn\", \"GivenName\", \"FamilyName\", \"SearchName\", \"DateOfBirth\", \"Sex\", \"PhoneSearch\", \"CreatedAt\", \"Version\") "
            + "SELECT printf('00000000-0000-7000-8000-%012d', i), printf('CN-%05d', i), given, family, lower(family || ' ' || given), "
            + "date('1960-01-01', '+' || (i % 5) || ' days'), 'Unknown', '', 0, '" + Guid.NewGuid().ToString().ToUpperInvariant() + "' FROM named"));
#pragma warning restore EF1003
        await factory.QueryAsync(db => db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"PatientNameWords\" (\"PatientId\", \"Word\", \"SearchName\") SELECT \"Id\", lower(\"FamilyName\"), \"SearchName\" FROM \"Patients\" WHERE \"Mrn\" LIKE 'CN-%' "
            + "UNION ALL SELECT \"Id\", lower(\"GivenName\"), \"SearchName\" FROM \"Patients\" WHERE \"Mrn\" LIKE 'CN-%'"));
        output.WriteLine($"seeded {Patients:N0} patients in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:N0} ms");

        // "mar": 10,000 patients. The page is read in the name index's order, each row checked on the (PatientId, Word) key.
        var (mar, marSql) = await SearchAsync(session, ("Name", "mar"));
        Assert.Contains("more than 1,000 patients", mar.Document.QuerySelector("#patient-count")!.TextContent);
        var marExpected = await ExpectedAsync("SELECT \"Mrn\" AS \"Value\" FROM \"Patients\" p WHERE \"Mrn\" LIKE 'CN-%' AND (\"GivenName\" LIKE 'mar%') ORDER BY \"SearchName\", \"Id\"");
        Assert.Equal(10_000, marExpected.Count);
        Assert.Equal(marExpected[..20], Mrns(mar));
        var plan = await PlanAsync(marSql);
        Assert.Contains(plan, step => step.StartsWith("SCAN p USING ", StringComparison.Ordinal) && step.Contains("INDEX IX_Patients_SearchName_Id"));
        Assert.Contains(plan, step => step.Contains("USING COVERING INDEX sqlite_autoindex_PatientNameWords_1 (PatientId=? AND Word>? AND Word<?)"));
        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE"));
        Assert.DoesNotContain(plan, step => step.Contains("IX_PatientNameWords_Word_SearchName_PatientId"));

        // Its pages go on in order, back, and to the end (read backwards in the same index).
        var next = await session.SubmitAsync(mar, "form[data-page=Next]");
        Assert.Equal(marExpected[20..40], Mrns(next));
        var third = await session.SubmitAsync(next, "form[data-page=Next]");
        Assert.Equal(marExpected[40..60], Mrns(third));
        Assert.Equal(marExpected[20..40], Mrns(await session.SubmitAsync(third, "form[data-page=Previous]")));
        PagingSql.Clear(factory);
        var last = await session.SubmitAsync(third, "form[data-page=Last]");
        Assert.Equal(marExpected[^20..], Mrns(last));
        var lastPlan = await PlanAsync(PageSql());
        Assert.DoesNotContain(lastPlan, step => step.Contains("TEMP B-TREE"));
        Assert.Equal(marExpected[^40..^20], Mrns(await session.SubmitAsync(last, "form[data-page=Previous]")));

        // With an MRN start and a date of birth the common name is still more than a page of each, in order.
        var (byMrn, _) = await SearchAsync(session, ("Name", "mar"), ("Mrn", "CN-1"));
        Assert.Contains("more than 1,000 patients", byMrn.Document.QuerySelector("#patient-count")!.TextContent);
        Assert.Equal([.. marExpected.Where(m => m.StartsWith("CN-1", StringComparison.Ordinal)).Take(20)], Mrns(byMrn));
        var (byBirth, _) = await SearchAsync(session, ("Name", "mar"), ("DateOfBirth", "1960-01-02"));
        var bornExpected = await ExpectedAsync("SELECT \"Mrn\" AS \"Value\" FROM \"Patients\" WHERE \"Mrn\" LIKE 'CN-%' AND \"GivenName\" LIKE 'mar%' AND \"DateOfBirth\" = '1960-01-02' ORDER BY \"SearchName\", \"Id\"");
        Assert.Equal(5_000, bornExpected.Count); // the Mareks (i % 10 = 1) of those born on day 2 (i % 5 = 1)
        Assert.Equal(bornExpected[..20], Mrns(byBirth));
        Assert.Equal(bornExpected[20..40], Mrns(await session.SubmitAsync(byBirth, "form[data-page=Next]")));

        // "zq": 50 patients, one family name in one stretch of the list. The page is read from the index of words, which
        // holds each word's patients with their search names (50 entries sorted), never a walk of the list up to the z's;
        // then its 20 patients are read by id.
        var (zq, _) = await SearchAsync(session, ("Name", "zq"));
        var zqCommands = PagingSql.Commands(factory);
        Assert.Contains("50 patients", zq.Document.QuerySelector("#patient-count")!.TextContent);
        var zqExpected = await ExpectedAsync("SELECT \"Mrn\" AS \"Value\" FROM \"Patients\" WHERE \"FamilyName\" = 'Zquist' ORDER BY \"SearchName\", \"Id\"");
        Assert.Equal(zqExpected[..20], Mrns(zq));
        var zqPlan = await PlanAsync(WordPageSql());
        Assert.Contains(zqPlan, step => step.Contains("USING COVERING INDEX IX_PatientNameWords_Word_SearchName_PatientId (Word>? AND Word<?)"));
        Assert.DoesNotContain(zqPlan, step => step.Contains("Patients"));
        Assert.DoesNotContain(zqCommands, c => c.Contains("FROM \"Patients\"") && c.Contains("ORDER BY"));
        var zqLast = await session.SubmitAsync(zq, "form[data-page=Last]");
        Assert.Equal(zqExpected[^20..], Mrns(zqLast));

        // Two words: the rare one picks, the common one is checked ("maria zqu": the Zquists named Maria, all 50 here).
        var (both, _) = await SearchAsync(session, ("Name", "maria zqu"));
        Assert.Contains("50 patients", both.Document.QuerySelector("#patient-count")!.TextContent);
        Assert.Equal(zqExpected[..20], Mrns(both));
        // And two common words ("mar fam0": 2,450 patients, i % 40 of 0 or 1 but no Zquist), fewer than the 3,000 the index
        // of words pages, page in order too: on, back, and from the end.
        var (common, _) = await SearchAsync(session, ("Name", "mar fam0"));
        var commonExpected = await ExpectedAsync("SELECT \"Mrn\" AS \"Value\" FROM \"Patients\" WHERE \"GivenName\" LIKE 'mar%' AND \"FamilyName\" LIKE 'fam0%' ORDER BY \"SearchName\", \"Id\"");
        Assert.Equal(2_450, commonExpected.Count);
        Assert.Contains("more than 1,000 patients", common.Document.QuerySelector("#patient-count")!.TextContent);
        Assert.Equal(commonExpected[..20], Mrns(common));
        Assert.Contains(await PlanAsync(WordPageSql()), step => step.Contains("IX_PatientNameWords_Word_SearchName_PatientId (Word>? AND Word<?)"));
        var commonNext = await session.SubmitAsync(common, "form[data-page=Next]");
        Assert.Equal(commonExpected[20..40], Mrns(commonNext));
        Assert.Equal(commonExpected[..20], Mrns(await session.SubmitAsync(commonNext, "form[data-page=Previous]")));
        var commonLast = await session.SubmitAsync(commonNext, "form[data-page=Last]");
        Assert.Equal(commonExpected[^20..], Mrns(commonLast));
        Assert.Equal(commonExpected[^40..^20], Mrns(await session.SubmitAsync(commonLast, "form[data-page=Previous]")));
    }

    /// <summary>
    /// Both ways of reading a name search, and the count, are plain LINQ that SQL Server runs too: the candidates IN a
    /// subquery of the word index (the other words checked inside it), or each patient checked by EXISTS, paged by TOP.
    /// </summary>
    [Fact]
    public void BothWaysOfANameSearchTranslateForSqlServer()
    {
        using var db = new Core.Data.ClinicDbContext(new DbContextOptionsBuilder<Core.Data.ClinicDbContext>().UseSqlServer("Server=.;Database=KneeClinic").Options);
        var words = Features.Patients.PatientSearch.NameWords("john smi");
        Assert.Equal(["john", "smi"], words.Select(w => w.From));
        var patients = db.Patients.AsNoTracking().IgnoreAutoIncludes();

        var count = Features.Patients.PatientSearch.MatchingIds(db, words).Distinct().Take(1001).ToQueryString();
        var fromWords = Features.Patients.PatientSearch.FromWordIndex(db, patients, words).OrderBy(p => p.SearchName).ThenBy(p => p.Id).Take(21).ToQueryString();
        var inOrder = Features.Patients.PatientSearch.CheckedInOrder(db, patients, words).OrderBy(p => p.SearchName).ThenBy(p => p.Id).Take(21).ToQueryString();
        var wordPage = Features.Patients.PatientSearch.WordHits(db, words).OrderBy(h => h.SearchName).ThenBy(h => h.PatientId).Take(21).ToQueryString();
        output.WriteLine(count);
        output.WriteLine(fromWords);
        output.WriteLine(inOrder);
        output.WriteLine(wordPage);
        Assert.Contains("SELECT DISTINCT [p].[SearchName], [p].[PatientId]", wordPage);
        Assert.DoesNotContain("[Patients]", wordPage);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(wordPage, "EXISTS"));

        Assert.Contains("SELECT DISTINCT TOP(", count);
        Assert.DoesNotContain("[Patients]", count);
        Assert.Contains("[p].[Id] IN (", fromWords);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(fromWords, "EXISTS"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(inOrder, "EXISTS").Count);
        Assert.DoesNotContain(" IN (", inOrder);
        Assert.All(new[] { count, fromWords, inOrder, wordPage }, sql => Assert.DoesNotContain("LIKE", sql));
    }

    /// <summary>A search submitted (warmed once: the first compiles its queries), and the SQL of its page.</summary>
    private async Task<(Page Page, string Sql)> SearchAsync(WebSession session, params (string Name, string? Value)[] fields)
    {
        var list = await session.GetAsync("/Patients");
        await session.SubmitAsync(list, "#patient-search", Fields(fields));
        PagingSql.Clear(factory);
        var started = Stopwatch.GetTimestamp();
        var page = await session.SubmitAsync(list, "#patient-search", Fields(fields));
        var took = Stopwatch.GetElapsedTime(started);
        var sql = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand"))
            .Select(l => l[(l.IndexOf('(') + 1)..l.IndexOf("ms)", StringComparison.Ordinal)]).ToList();
        output.WriteLine($"search {string.Join(", ", fields.Select(f => f.Name))}: {took.TotalMilliseconds:N1} ms over HTTP; SQL {string.Join(" + ", sql)} ms");
        foreach (var command in PagingSql.Commands(factory)) output.WriteLine(command);
        return (page, Assert.Single(PagingSql.Commands(factory), c => c.Contains("ORDER BY") && c.Contains("LIMIT") && !c.Contains("AuditEntries")));
    }

    private string WordPageSql() => Assert.Single(PagingSql.Commands(factory), c => c.Contains("FROM \"PatientNameWords\"") && c.Contains("ORDER BY") && c.Contains("LIMIT"));

    private string PageSql() => Assert.Single(PagingSql.Commands(factory), c => c.Contains("FROM \"Patients\"") && c.Contains("ORDER BY") && c.Contains("LIMIT"));

    private async Task<List<string>> PlanAsync(string sql)
    {
        var plan = await PagingSql.PlanAsync(factory, sql);
        output.WriteLine(string.Join(Environment.NewLine, plan));
        return plan;
    }

    private Task<List<string>> ExpectedAsync(string sql) =>
        factory.QueryAsync(db => db.Database.SqlQueryRaw<string>(sql).ToListAsync());

    private static string[] Mrns(Page page) =>
        [.. page.Document.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim())];
}
