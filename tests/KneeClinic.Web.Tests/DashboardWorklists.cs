using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>An instance of the app on another's database, with the SQL it runs in its captured log.</summary>
public sealed class SqlLoggingInstance(string dataDirectory) : ClinicFactory("Testing", dataDirectory)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Information");
    }
}

/// <summary>
/// The dashboard's work lists are kept between requests, and read again as soon as anything changed: on the same
/// instance or on another one behind the proxy.
/// </summary>
public sealed class DashboardWorklists
{
    private static int ListQueries(ClinicFactory instance) =>
        instance.Logs.Lines.Count(l => l.Contains("Executed DbCommand") && l.Contains("\"f\".\"WindowCloses\" <"));

    [Fact]
    public async Task TheListsAreKeptUntilAChangeOnAnyInstance()
    {
        await using var first = new ClinicFactory();
        await using var a = new SqlLoggingInstance(first.DataDirectory);
        await using var b = new ClinicInstance(first.DataDirectory);
        var (session, caseId) = await a.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);

        // The lists are read and kept, with no form printed yet.
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Dashboard")).Status);
        Assert.True(ListQueries(a) > 0);

        // Printing a consent form on this instance: the next dashboard lists it at once.
        var generated = await session.SubmitAsync(await session.GetAsync($"/Cases/Consent/{caseId}"), "#generate-consent", Fields(("Consent.Language", "en")));
        Assert.Equal(HttpStatusCode.Redirect, generated.Status);
        var document = await a.QueryAsync(db => db.ConsentDocuments.SingleAsync(d => d.CaseId == caseId));
        Assert.Contains(document.DocumentNumber, (await session.GetAsync("/Dashboard")).Document.Body!.TextContent);

        // Nothing changed since: the lists are not read again.
        var read = ListQueries(a);
        Assert.Contains(document.DocumentNumber, (await session.GetAsync("/Dashboard")).Document.Body!.TextContent);
        Assert.Equal(read, ListQueries(a));

        // A colleague voids the form through another instance: this instance's next dashboard no longer lists it.
        var colleague = await b.SignedInAsync(Roles.Clinician);
        var voided = await colleague.SubmitAsync(await colleague.GetAsync($"/Cases/Consent/{caseId}"), $"form[action='/Consents/Void/{document.Id}']",
            Fields(("Void.Reason", "Printed in the wrong language.")));
        Assert.Equal(HttpStatusCode.Redirect, voided.Status);
        Assert.Equal(ConsentStatus.Voided, await a.QueryAsync(db => db.ConsentDocuments.Where(d => d.Id == document.Id).Select(d => d.Status).SingleAsync()));

        Assert.DoesNotContain(document.DocumentNumber, (await session.GetAsync("/Dashboard")).Document.Body!.TextContent);
        Assert.True(ListQueries(a) > read, "The lists were not read again after the change.");
    }
}
