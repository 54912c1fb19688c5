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
        var commands = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand")).ToList();
        // The count and the page; the page brings the patient and the clinician who obtained consent by join.
        Assert.Equal(2, commands.Count(c => c.Contains("\"ConsentDocuments\"")));
        Assert.Single(commands, c => c.Contains("\"ConsentDocuments\"") && c.Contains("\"Patients\"") && c.Contains("\"AspNetUsers\""));
        // Besides it: the count, the template codes for the filter, and the sign-in check of the session.
        Assert.True(commands.Count <= 5, string.Join(Environment.NewLine, commands));
    }
}
