using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Tests;

/// <summary>The app in Production with settings of the test's own, given after the test clinic's.</summary>
public sealed class ProductionSettingsFactory(params (string Key, string Value)[] settings) : ClinicFactory("Production")
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }
}

/// <summary>
/// In Production the clinic's public address is a setting the app cannot start without, and the only host it answers
/// for: a forged Host header can never reach a page, a link or the QR code of a consent form.
/// </summary>
public sealed class PublicAddress
{
    [Theory]
    [InlineData("", "Clinic:PublicBaseUrl must be set in Production")]
    [InlineData("http://clinic.example", "must start with https:// in Production")]
    [InlineData("clinic.example", "must be an address such as https://clinic.example")]
    [InlineData("https://clinic.example/?next=evil", "must be an address such as https://clinic.example")]
    public void ProductionDoesNotStartWithoutAnHttpsPublicAddress(string address, string message)
    {
        using var factory = new ProductionSettingsFactory(("Clinic:PublicBaseUrl", address));
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task InProductionOnlyThePublicHostIsAnswered()
    {
        // AllowedHosts left at the shipped "*": it follows the public address.
        await using var factory = new ProductionSettingsFactory(("Clinic:PublicBaseUrl", "https://kneeclinic.example.org"), ("AllowedHosts", "*"));
        HttpClient Client(string address) => factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(address), AllowAutoRedirect = false });

        using var forged = Client("https://evil.example");
        Assert.Equal(HttpStatusCode.BadRequest, (await forged.GetAsync("/Account/Login")).StatusCode);
        using var local = Client("https://localhost");
        Assert.Equal(HttpStatusCode.BadRequest, (await local.GetAsync("/Account/Login")).StatusCode);
        using var clinic = Client("https://kneeclinic.example.org");
        Assert.Equal(HttpStatusCode.OK, (await clinic.GetAsync("/Account/Login")).StatusCode);
    }

    [Fact]
    public void OutsideProductionTheAddressMayBeLeftEmptyOnADevelopersMachine()
    {
        using var factory = new ClinicFactory();
        Assert.NotNull(factory.Services);
    }
}
