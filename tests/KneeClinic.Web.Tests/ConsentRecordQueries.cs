using System.Net;
using KneeClinic.Core.Staff;

namespace KneeClinic.Web.Tests;

/// <summary>The consent records list reads its page in one statement however many rows it shows: no query per row for the patient or the clinician.</summary>
public sealed class ConsentRecordQueries(SqlLoggingClinicFactory factory) : IClassFixture<SqlLoggingClinicFactory>
{
    [Fact]
    public async Task TheListReadsItsRowsWithTheirPatientsAndClinicianInOneQuery()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        for (var i = 0; i < 6; i++) await ConsentAdministration.SignedConsentAsync(factory, familyName: $"Query-{i}");
        while (factory.Logs.Lines.TryDequeue(out _)) { }

        var page = await admin.GetAsync("/ConsentRecords");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(6, page.Document.QuerySelectorAll("#consent-records tbody tr").Length);
        // (Besides the page's view, written to the audit trail after the chain's tail is read: see PatientDataReads.)
        var commands = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand") && !l.Contains("\"AuditEntries\"")).ToList();
        // The count and the page; the page brings the patient and the clinician who obtained consent by join.
        Assert.Equal(2, commands.Count(c => c.Contains("\"ConsentDocuments\"")));
        Assert.Single(commands, c => c.Contains("\"ConsentDocuments\"") && c.Contains("\"Patients\"") && c.Contains("\"AspNetUsers\""));
        // Besides it: the count, the template codes for the filter, and the sign-in check of the session.
        Assert.True(commands.Count <= 5, string.Join(Environment.NewLine, commands));
        // The count reads the documents alone: the joins follow required keys and drop no row, so they would only cost.
        var count = Assert.Single(commands, c => c.Contains("COUNT(*)") && c.Contains("\"ConsentDocuments\""));
        Assert.DoesNotContain("JOIN", count);
        Assert.DoesNotContain("\"Patients\"", count);
    }

    [Fact]
    public async Task AFilterOnTheTemplateCountsThroughTheTemplateTablesOnlyAndStillFindsItsRows()
    {
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        for (var i = 0; i < 3; i++) await ConsentAdministration.SignedConsentAsync(factory, familyName: $"Filtered-{i}");
        while (factory.Logs.Lines.TryDequeue(out _)) { }

        var page = await admin.GetAsync("/ConsentRecords?Template=consent-bone-marrow&Version=2&Language=en");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        var shown = page.Document.QuerySelectorAll("#consent-records tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(3, shown.Count(r => r.Contains("Filtered-", StringComparison.Ordinal)));
        Assert.All(shown, r => Assert.Contains("consent-bone-marrow v2 (", r));
        var commands = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand")).ToList();
        var count = Assert.Single(commands, c => c.Contains("COUNT(*)") && c.Contains("\"ConsentDocuments\""));
        Assert.Contains("\"ConsentTemplateVersions\"", count);
        Assert.Contains("\"ConsentTemplates\"", count);
        Assert.DoesNotContain("\"Patients\"", count);
        Assert.DoesNotContain("\"Cases\"", count);
    }
}
