using System.Net;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>Another instance of the app on the same database, as the web replicas behind nginx are.</summary>
public sealed class ClinicInstance(string dataDirectory) : ClinicFactory("Testing", dataDirectory);

/// <summary>
/// Several instances of the app on one database: they start together without migrating or seeding twice, and a
/// browser sent to either one by the proxy keeps its sign-in and its forms.
/// </summary>
public sealed class SeveralInstances
{
    [Fact]
    public async Task TwoInstancesStartingTogetherOnANewDatabaseMigrateAndSeedItOnce()
    {
        await using var first = new ClinicFactory();
        await using var second = new ClinicInstance(first.DataDirectory);

        // Each host migrates, adds the roles, imports the consent templates and makes the first data-protection key.
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        foreach (var instance in new ClinicFactory[] { first, second })
        {
            using var client = instance.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        }
        var (applied, known, roles, versions, distinctVersions) = await first.QueryAsync(async db => (
            await db.Database.SqlQueryRaw<string>("SELECT MigrationId AS Value FROM __EFMigrationsHistory").ToListAsync(),
            db.Database.GetMigrations().ToList(),
            await db.Roles.Select(r => r.Name!).ToListAsync(),
            await db.ConsentTemplateVersions.CountAsync(),
            await db.ConsentTemplateVersions.Select(v => new { v.TemplateId, v.Version, v.Language }).Distinct().CountAsync()));
        Assert.Equal(known.Order(), applied.Order());
        Assert.Equal(Roles.All.Order(), roles.Order());
        Assert.True(versions > 0, "No consent template was imported.");
        Assert.Equal(distinctVersions, versions);
    }

    [Fact]
    public async Task ASignInAndAFormFromOneInstanceAreAcceptedByTheOther()
    {
        await using var a = new ClinicFactory();
        await using var b = new ClinicInstance(a.DataDirectory);
        var email = await StartWithAClinicianAsync(a, b);

        // One browser: its cookies go to whichever instance nginx picks.
        var cookies = new CookieContainer();
        using var onA = Browser(a, cookies);
        using var onB = Browser(b, cookies);

        Assert.Equal(HttpStatusCode.Redirect, (await onA.LogInAsync(email, ClinicFactory.Password)).Status);
        var dashboard = await onB.GetAsync("/Dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);

        // The form and its antiforgery token come from A; the post goes to B.
        var form = await onA.GetAsync("/Patients/Create");
        var created = await onB.SubmitAsync(form, "form[action='/Patients/Create']", Fields(
            ("Mrn", "NET-1"), ("GivenName", "Ada"), ("FamilyName", "Network"), ("DateOfBirth", "1950-01-02"), ("Sex", "Female")));
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        Assert.StartsWith("/Patients/Details/", created.Location);
        Assert.Equal(1, await b.QueryAsync(db => db.Patients.CountAsync()));

        // A token B never saw still fails there: the check is real, not switched off.
        var tampered = await onB.Client.PostAsync("/Patients/Create", new FormUrlEncodedContent(
            [new("Mrn", "NET-3"), new("__RequestVerificationToken", "CfDJ8not-a-token")]));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
    }

    [Fact]
    public async Task ASignOutOnOneInstanceEndsCopiesOfTheSessionOnTheOtherWithinATenthOfASecond()
    {
        await using var a = new ClinicFactory();
        await using var b = new ClinicInstance(a.DataDirectory);
        var email = await StartWithAClinicianAsync(a, b);
        var cookies = new CookieContainer();
        using var onA = Browser(a, cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await onA.LogInAsync(email, ClinicFactory.Password)).Status);
        var copied = cookies.GetCookieHeader(a.Server.BaseAddress);
        // B has checked this session, and keeps what it read of the account.
        Assert.Equal(HttpStatusCode.OK, await OnAsync(b, copied));
        Assert.Equal(HttpStatusCode.OK, await OnAsync(b, copied));

        var page = await onA.GetAsync("/Patients");
        Assert.Equal("/Account/Login", (await onA.SubmitAsync(page, "form[action='/Account/Logout']")).Location);
        // A sees it at once; B, which learns of A's changes from the database, within DataChanges.MostStale.
        Assert.Equal(HttpStatusCode.Redirect, await OnAsync(a, copied));
        await Task.Delay(DataChanges.MostStale * 2);
        Assert.Equal(HttpStatusCode.Redirect, await OnAsync(b, copied));
    }

    /// <summary>Starts both instances together and makes a clinician's account; returns its email.</summary>
    private static async Task<string> StartWithAClinicianAsync(ClinicFactory a, ClinicFactory b)
    {
        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));
        var email = $"clinician-{Guid.NewGuid():N}@clinic.test";
        await a.CreateUserAsync(email, Roles.Clinician);
        return email;
    }

    /// <summary>A browser's requests to one instance, with the cookies it shares with its requests to others.</summary>
    private static WebSession Browser(ClinicFactory instance, CookieContainer cookies) =>
        new(instance.CreateDefaultClient(new CookieContainerHandler(cookies)));

    /// <summary>A signed-in page asked of one instance with the given cookies only.</summary>
    private static async Task<HttpStatusCode> OnAsync(ClinicFactory instance, string cookie)
    {
        using var client = instance.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Manage");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
