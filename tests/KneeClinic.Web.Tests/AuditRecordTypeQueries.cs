using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The audit trail's record filter is not a pass over the whole trail on every page: the names come from the model, and
/// those only the trail holds (a type since renamed or removed) are read by index seeks now and then, and stay findable.
/// </summary>
public sealed class AuditRecordTypeQueries(SqlLoggingClinicFactory factory) : IClassFixture<SqlLoggingClinicFactory>
{
    [Fact]
    public async Task TheRecordFilterOffersTheModelsTypesAndRetiredNamesWithoutADistinctOverTheTrail()
    {
        await factory.Services.GetRequiredService<AuditReads>().RecordAsync(AuditEntry.Event(AuditAction.Viewed, "RetiredRecord", "r-1"));
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        while (factory.Logs.Lines.TryDequeue(out _)) { }

        var first = await admin.GetAsync("/Audit");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        var offered = first.Document.QuerySelectorAll("#Entity option").Select(o => o.GetAttribute("value")).ToList();
        // Types the model writes, whether or not the trail holds one yet, and the name only the trail still holds.
        Assert.Contains("Case", offered);
        Assert.Contains("AdverseEvent", offered);
        Assert.Contains("ConsentSignature", offered);
        Assert.Contains("FollowUpVisit.Koos#KoosScores", offered);
        Assert.Contains("Account", offered);
        Assert.Contains("RetiredRecord", offered);
        Assert.DoesNotContain("AuditEntry", offered);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("Executed DbCommand") && l.Contains("DISTINCT"));

        var retired = await admin.SubmitAsync(first, "#audit-filter", Fields(("Entity", "RetiredRecord")));
        Assert.Single(retired.Document.QuerySelectorAll("#audit-entries tbody tr"));

        var viewsBefore = await factory.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Entity == AuditReads.ListPages.AuditTrail));
        while (factory.Logs.Lines.TryDequeue(out _)) { }
        await admin.GetAsync("/Audit");
        // Again within the refresh: the count and the page are the only reads of the trail, besides the read of the chain's
        // tail before the page's own view is written to it and the read of where the data stands, which any request may
        // make (at most every tenth of a second). (The view is inserted by the audit writer itself, not through EF Core's
        // logged commands: it is counted in the trail instead.)
        var trail = factory.Logs.Lines.Where(l => l.Contains("Executed DbCommand") && l.Contains("\"AuditEntries\"") && !PagingSql.IsWhereTheDataStands(l)).ToList();
        Assert.InRange(trail.Count, 2, 3);
        Assert.Equal(viewsBefore + 1, await factory.QueryAsync(db => db.AuditEntries.CountAsync(e => e.Entity == AuditReads.ListPages.AuditTrail)));
    }
}
