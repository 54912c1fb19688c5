using System.Net;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Staff;

namespace KneeClinic.Web.Tests;

/// <summary>The headers that keep pages out of frames, caches and other origins' scripts.</summary>
public sealed class ResponseHeaders(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    [Fact]
    public async Task PagesAllowOnlyTheAppsOwnScriptsAndAreNeverCached()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        foreach (var url in new[] { "/Account/Login", $"/Cases/Details/{caseId}", "/Dashboard", $"/Procedures/BaselineKoos/{caseId}", "/no-such-page" })
        {
            var page = await session.GetAsync(url);
            var headers = page.Response.Headers;
            var csp = string.Join(";", headers.GetValues("Content-Security-Policy"));
            var scriptSources = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src "));
            Assert.Equal("script-src 'self'", scriptSources);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", headers.GetValues("Referrer-Policy").Single());
            Assert.True(page.Response.Headers.CacheControl?.NoStore, $"{url} may be cached");

            // With inline scripts forbidden, every script on our pages is a file of the app.
            Assert.All(page.Document.QuerySelectorAll("script"), s => Assert.StartsWith("/", s.GetAttribute("src") ?? "(inline script)"));
            Assert.Empty(page.Document.QuerySelectorAll("[onclick], [onload], [onchange], [onsubmit]"));
        }
    }

    [Fact]
    public async Task StaticFilesMayBeCachedButKeepTheOtherHeaders()
    {
        using var session = factory.Session();
        var css = await session.Client.GetAsync("/lib/bootstrap.min.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.NotEqual(true, css.Headers.CacheControl?.NoStore);
        Assert.Equal("nosniff", css.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task StaticFilesLinkedWithTheirHashAreKeptAYearWithoutAskingAgain()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var page = await session.GetAsync("/Dashboard");
        var linked = page.Document.QuerySelectorAll("link[rel=stylesheet][href], script[src]")
            .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src")!).ToList();
        Assert.NotEmpty(linked);
        foreach (var url in linked)
        {
            Assert.Contains("?v=", url);
            var file = await session.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal((true, TimeSpan.FromDays(365)), (file.Headers.CacheControl!.Public, file.Headers.CacheControl.MaxAge));
            Assert.Contains("immutable", file.Headers.CacheControl.ToString());
        }

        // The same file asked for without its hash may have changed since: the browser asks again.
        var unversioned = await session.Client.GetAsync(linked[0].Split('?')[0]);
        Assert.Null(unversioned.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task InProductionAnswersOverHttpsTellBrowsersToUseNothingElse()
    {
        await using var production = new ProductionClinicFactory();
        using var client = production.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://clinic.example"),
            AllowAutoRedirect = false,
        });

        var response = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^max-age=\d{7,}", response.Headers.GetValues("Strict-Transport-Security").Single());
    }
}
