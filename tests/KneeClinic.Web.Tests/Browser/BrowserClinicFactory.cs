using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests.Browser;

/// <summary>
/// The clinic served by Kestrel on a free loopback port, so a real browser can reach it; otherwise the same
/// app, database and fake clock as <see cref="ClinicFactory"/>.
/// </summary>
public sealed class BrowserClinicFactory : ClinicFactory
{
    private readonly Lazy<Uri> address;

    public BrowserClinicFactory()
    {
        UseKestrel(0);
        address = new Lazy<Uri>(Start);
    }

    /// <summary>Where the server listens, as Kestrel reports it: http://127.0.0.1:40123/. Starts it the first time.</summary>
    public Uri Address => address.Value;

    private Uri Start()
    {
        StartServer();
        var listening = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var uri = new Uri(listening.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        Assert.True(uri.IsLoopback, $"The test server should listen on loopback only, not on {uri}.");
        return uri;
    }
}
