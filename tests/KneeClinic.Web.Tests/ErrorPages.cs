using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>A controller that fails on purpose, added to the app only in <see cref="FaultyClinicFactory"/>.</summary>
public sealed class FaultController : Controller
{
    public IActionResult Boom() => throw new InvalidOperationException("secret internal detail MRN-12345");
}

public sealed class FaultyClinicFactory : ClinicFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddControllersWithViews().AddApplicationPart(typeof(FaultController).Assembly));
    }
}

public sealed class ErrorPages(FaultyClinicFactory factory) : IClassFixture<FaultyClinicFactory>
{
    [Fact]
    public async Task AnUnexpectedErrorShowsAGenericPageWithoutTheStackTraceOrItsDetails()
    {
        using var session = await factory.SignedInAsync("Clinician");

        var page = await session.GetAsync("/Fault/Boom");

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.Contains("Something went wrong", page.Text);
        Assert.DoesNotContain("InvalidOperationException", page.Text);
        Assert.DoesNotContain("MRN-12345", page.Text);
        Assert.DoesNotContain(" at KneeClinic", page.Text);
    }
}
