using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Every list pages by seek: a page costs the same number of SQL commands with 10 rows as with 1,000, and walking a list
/// forward and back over rows that tie on their sort shows each row once, in order, with the filter kept.
/// </summary>
public sealed class ListPaging(SqlLoggingClinicFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SqlLoggingClinicFactory>
{
    [Fact]
    public async Task EachListPageRunsAsManyCommandsWithAThousandRowsAsWithTen()
    {
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        // One of each row, made through the domain; the rest are copies of it made by SQL.
        var (_, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow, familyName: $"Count{tag}");
        var patientId = await factory.QueryAsync(async db => (await db.Cases.FindAsync(caseId))!.PatientId);
        var documentId = await ConsentAdministration.SignedConsentAsync(factory, familyName: $"Count{tag}");
        var userId = (await factory.CreateUserAsync($"count-{tag.ToLowerInvariant()}@clinic.test", Roles.Clinician)).Id;
        var auditId = await factory.QueryAsync(async db => await db.AuditEntries.MaxAsync(e => e.Id));

        var lists = new (string Name, Func<Task<Page>> Open)[]
        {
            ("patients", () => clinician.GetAsync("/Patients")),
            ("patient search", async () => await clinician.SubmitAsync(await clinician.GetAsync("/Patients"), "#patient-search", Fields(("Name", $"count{tag}")))),
            ("dashboard", () => clinician.GetAsync("/Dashboard?all=true")),
            ("consent records", () => admin.GetAsync("/ConsentRecords")),
            ("audit trail", async () => await admin.SubmitAsync(await admin.GetAsync("/Audit"), "#audit-filter", Fields(("Entity", "Patient")))),
            ("staff", () => admin.GetAsync("/Staff")),
        };

        async Task<Dictionary<string, int>> CommandsAsync()
        {
            var counts = new Dictionary<string, int>();
            foreach (var (name, open) in lists)
            {
                await open(); // the first request of a kind compiles its queries
                PagingSql.Clear(factory);
                var page = await open();
                Assert.Equal(HttpStatusCode.OK, page.Status);
                counts[name] = PagingSql.PageCommands(factory).Count;
            }
            return counts;
        }

        async Task CopyAsync(int count, int from)
        {
            await PagingSql.CopyAsync(factory, "Patients", patientId, count, ("Mrn", $"printf('C{tag}-%05d', n.i + {from})"));
            await factory.QueryAsync(db => db.Database.ExecuteSqlAsync(
                $"INSERT INTO \"PatientNameWords\" (\"PatientId\", \"Word\", \"SearchName\") SELECT \"Id\", {"count" + tag.ToLowerInvariant()}, \"SearchName\" FROM \"Patients\" p WHERE \"Mrn\" LIKE {"C" + tag + "-%"} AND NOT EXISTS (SELECT 1 FROM \"PatientNameWords\" w WHERE w.\"PatientId\" = p.\"Id\")"));
            await PagingSql.CopyAsync(factory, "Cases", caseId, count);
            await PagingSql.CopyAsync(factory, "ConsentDocuments", documentId, count, ("DocumentNumber", $"printf('KC-T-{tag}%05d', n.i + {from})"));
            await PagingSql.CopyAsync(factory, "AuditEntries", auditId, count, ("Id", "NULL"),
                ("Sequence", "(SELECT MAX(\"Sequence\") FROM \"AuditEntries\") + n.i"), ("Entity", "'Patient'"));
            await PagingSql.CopyAsync(factory, "AspNetUsers", userId, count, ("UserName", $"printf('copy{tag}-%05d@clinic.test', n.i + {from})"),
                ("NormalizedUserName", $"printf('COPY{tag}-%05d@CLINIC.TEST', n.i + {from})"), ("Email", $"printf('copy{tag}-%05d@clinic.test', n.i + {from})"),
                ("NormalizedEmail", $"printf('COPY{tag}-%05d@CLINIC.TEST', n.i + {from})"));
            await factory.QueryAsync(db => db.Database.ExecuteSqlAsync(
                $"INSERT INTO \"AspNetUserRoles\" (\"UserId\", \"RoleId\") SELECT u.\"Id\", r.\"RoleId\" FROM \"AspNetUsers\" u, \"AspNetUserRoles\" r WHERE r.\"UserId\" = {userId} AND u.\"UserName\" LIKE 'copy%' AND NOT EXISTS (SELECT 1 FROM \"AspNetUserRoles\" x WHERE x.\"UserId\" = u.\"Id\")"));
            // Rows written by SQL, not saved by the app: it is told, as a save would tell it, so what it keeps until the
            // next change (the whole list's count) is read again now and not up to a minute later.
            factory.Services.GetRequiredService<KneeClinic.Web.Infrastructure.DataChanges>().Changed();
        }

        await CopyAsync(9, 0);
        var few = await CommandsAsync();
        await CopyAsync(1000, 10);
        var many = await CommandsAsync();

        output.WriteLine(string.Join(Environment.NewLine, many.Select(m => $"{m.Key}: {few[m.Key]} commands with 10 rows, {m.Value} with 1,010")));
        Assert.Equal(few, many);
        // And each list shows one page of them, not all.
        Assert.Equal(PatientSearchPageSize, (await lists[1].Open()).Document.QuerySelectorAll("tbody tr").Length);
        Assert.Contains("more than 1,000 patients", (await lists[1].Open()).Document.QuerySelector("#patient-count")!.TextContent);
    }

    [Fact]
    public async Task TheWholeListsCountIsKeptUntilAPatientIsAddedAndThenShowsThem()
    {
        await using var clinic = new ClinicFactory();
        using var session = await clinic.SignedInAsync(Roles.Clinician);
        async Task<string> CountAsync() => (await session.GetAsync("/Patients")).Document.QuerySelector("#patient-count")!.TextContent.Trim();
        var before = await clinic.QueryAsync(db => db.Patients.CountAsync());
        Assert.StartsWith($"{before} patient", await CountAsync());
        Assert.StartsWith($"{before} patient", await CountAsync());

        var form = await session.GetAsync("/Patients/Create");
        var created = await session.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", "KEPT-1"), ("GivenName", "Kim"), ("FamilyName", "Counted"), ("DateOfBirth", "1960-03-04"), ("Sex", "Female")));
        Assert.Equal(HttpStatusCode.Redirect, created.Status);

        Assert.StartsWith($"{before + 1} patient", await CountAsync());
    }

    private const int PatientSearchPageSize = 20;

    [Fact]
    public async Task WalkingForwardAndBackOverEqualNamesShowsEachPatientOnceInOrderWithTheFilterKept()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var tag = Guid.NewGuid().ToString("N")[..8];
        await factory.QueryAsync(async db =>
        {
            // 250 patients of one name, and others the filter must keep out: the same name born another day, another name.
            for (var i = 0; i < 250; i++)
                db.Patients.Add(new Patient(Mrn.Of($"W{tag}-{i:D3}"), "Same", $"Walker{tag}", new DateOnly(1970, 1, 1), Sex.Unknown, factory.Clock.GetUtcNow()));
            for (var i = 0; i < 30; i++)
                db.Patients.Add(new Patient(Mrn.Of($"X{tag}-{i:D3}"), "Same", $"Walker{tag}", new DateOnly(1971, 1, 1), Sex.Unknown, factory.Clock.GetUtcNow()));
            db.Patients.Add(new Patient(Mrn.Of($"Y{tag}"), "Other", $"Else{tag}", new DateOnly(1970, 1, 1), Sex.Unknown, factory.Clock.GetUtcNow()));
            return await db.SaveChangesAsync();
        });
        var born = new DateOnly(1970, 1, 1);
        var expected = await factory.QueryAsync(async db => await db.Patients.Where(p => p.FamilyName == $"Walker{tag}" && p.DateOfBirth == born)
            .Select(p => p.Id).ToListAsync());
        // (SQLite orders the ids as their upper-case text.)
        expected = [.. expected.OrderBy(Text, StringComparer.Ordinal)];
        Assert.Equal(250, expected.Count);

        var page = await session.SubmitAsync(await session.GetAsync("/Patients"), "#patient-search",
            Fields(("Name", $"same walker{tag.ToUpperInvariant()}"), ("DateOfBirth", "1970-01-01")));
        Assert.Contains("250 patients", page.Document.QuerySelector("#patient-count")!.TextContent);
        var forward = new List<Guid>(Ids(page));
        var pages = 1;
        while (page.Document.QuerySelector("form[data-page=Next] button:not([disabled])") is not null)
        {
            page = await session.SubmitAsync(page, "form[data-page=Next]");
            Assert.DoesNotContain(tag, page.Url, StringComparison.OrdinalIgnoreCase);
            forward.AddRange(Ids(page));
            pages++;
        }
        Assert.Equal(13, pages);
        // The same rows, once each, in id order (the names tie, so the id decides).
        Assert.Equal(expected, forward);

        var backward = new List<Guid>(Ids(page).Reverse());
        while (page.Document.QuerySelector("form[data-page=Previous] button:not([disabled])") is not null)
        {
            page = await session.SubmitAsync(page, "form[data-page=Previous]");
            backward.AddRange(Ids(page).Reverse());
        }
        Assert.Equal(Enumerable.Reverse(expected), backward);

        // Last is the reverse order's first page (a full page: the last 20); First goes back to the start.
        var last = await session.SubmitAsync(page, "form[data-page=Last]");
        Assert.Equal(expected[^20..], Ids(last));
        Assert.NotNull(last.Document.QuerySelector("form[data-page=Next] button[disabled]"));
        Assert.Equal(expected[^40..^20], Ids(await session.SubmitAsync(last, "form[data-page=Previous]")));
        var first = await session.SubmitAsync(last, "form[data-page=First]");
        Assert.Equal(expected[..20], Ids(first));
    }

    [Fact]
    public async Task ConsentRecordsPrintedAtTheSameMomentPageByIdWithTheFilterInTheAddress()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var tag = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var seed = await ConsentAdministration.SignedConsentAsync(factory, sign: false, familyName: $"Tie{tag}");
        // 120 more records printed at the very same moment: only the id orders them.
        await PagingSql.CopyAsync(factory, "ConsentDocuments", seed, 120, ("DocumentNumber", $"printf('KC-T-{tag}%05d', n.i)"));
        var ids = await factory.QueryAsync(async db => await db.ConsentDocuments.Where(d => d.Status == Core.Consent.ConsentStatus.Generated)
            .OrderByDescending(d => d.GeneratedAt).Select(d => new { d.Id, d.GeneratedAt }).ToListAsync());
        var expected = ids.OrderByDescending(d => d.GeneratedAt).ThenByDescending(d => Text(d.Id), StringComparer.Ordinal).Select(d => d.Id).ToList();
        Assert.Equal(121, expected.Count);

        var page = await admin.GetAsync("/ConsentRecords?Status=Generated");
        var seen = new List<Guid>(Documents(page));
        while (page.Document.QuerySelector("a[data-page=Next]") is { } next)
        {
            var href = next.GetAttribute("href")!;
            Assert.Contains("Status=Generated", href);
            Assert.DoesNotContain($"Tie{tag}", href);
            page = await admin.GetAsync(href);
            seen.AddRange(Documents(page));
        }
        Assert.Equal(expected, seen);

        var back = await admin.GetAsync(page.Document.QuerySelector("a[data-page=Previous]")!.GetAttribute("href")!);
        // 121 records: four pages of 25, then 21; before the last page come records 76 to 100.
        Assert.Equal(expected[75..100], Documents(back));

        // A cursor that names no record starts the list again, and says so.
        var lost = await admin.GetAsync($"/ConsentRecords?Status=Generated&After={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.OK, lost.Status);
        Assert.NotNull(lost.Document.QuerySelector("#pager-restarted"));
        Assert.Equal(expected[..25], Documents(lost));
        var junk = await admin.GetAsync("/ConsentRecords?After=not-an-id");
        Assert.Equal(HttpStatusCode.OK, junk.Status);
        Assert.NotNull(junk.Document.QuerySelector("#pager-restarted"));
    }

    private static string Text(Guid id) => id.ToString().ToUpperInvariant();

    private static IEnumerable<Guid> Ids(Page page) =>
        page.Document.QuerySelectorAll("tbody tr td a").Select(a => Guid.Parse(a.GetAttribute("href")!.Split('/').Last()));

    private static IEnumerable<Guid> Documents(Page page) =>
        page.Document.QuerySelectorAll("#consent-records tbody tr td:first-child a[href*='/Consents/Download/']")
            .Select(a => Guid.Parse(a.GetAttribute("href")!.Split('/').Last()));
}
