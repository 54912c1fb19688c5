using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The app behind nginx: requests reach it from a proxy on 10.20.0.0/16, and each test session says which peer
/// address its requests come from (the test server has no network peer of its own).
/// </summary>
public sealed class ProxiedClinicFactory(string environment) : ClinicFactory(environment)
{
    public const string ProxyNetwork = "10.20.0.0/16";
    public const string Proxy = "10.20.0.5";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Network:KnownProxyNetworks:0", ProxyNetwork);
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, SecureClinicFactory.ClientAddressFromHeader>());
    }

    /// <summary>A session whose requests come from <paramref name="peer"/> to <paramref name="baseAddress"/> (http://localhost by default).</summary>
    public WebSession SessionFrom(string peer, string? forwardedFor = null, string? forwardedProto = null, string? baseAddress = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri(baseAddress ?? "http://localhost"),
        });
        client.DefaultRequestHeaders.Add(SecureClinicFactory.ClientAddressHeader, peer);
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        return new WebSession(client);
    }
}

/// <summary>What the app believes of X-Forwarded-For and X-Forwarded-Proto, and HTTPS in Production.</summary>
public sealed class BehindTheProxy
{
    private const string Client = "203.0.113.7";

    [Fact]
    public async Task TheClientAddressAProxyOnTheKnownNetworkReportsIsTheOneAudited()
    {
        await using var clinic = new ProxiedClinicFactory("Testing");
        var email = await NewClinicianAsync(clinic);

        // nginx appends the address it saw to whatever the client sent: only the last one is nginx's word.
        using var session = clinic.SessionFrom(ProxiedClinicFactory.Proxy, forwardedFor: $"198.18.0.1, {Client}");
        Assert.Equal(HttpStatusCode.Redirect, (await session.LogInAsync(email, ClinicFactory.Password)).Status);

        Assert.Equal(Client, await SignInAddressAsync(clinic, email));
    }

    [Fact]
    public async Task AForwardedAddressFromAnyoneElseIsNotBelieved()
    {
        await using var clinic = new ProxiedClinicFactory("Testing");
        var email = await NewClinicianAsync(clinic);

        // Straight to the app from outside the proxy network, claiming to be someone else.
        using var session = clinic.SessionFrom("192.0.2.50", forwardedFor: Client);
        Assert.Equal(HttpStatusCode.Redirect, (await session.LogInAsync(email, ClinicFactory.Password)).Status);

        Assert.Equal("192.0.2.50", await SignInAddressAsync(clinic, email));
    }

    [Fact]
    public async Task InProductionHttpIsRedirectedToHttpsUnlessTheProxySaysTheBrowserUsedHttps()
    {
        await using var clinic = new ProxiedClinicFactory("Production");

        // (HSTS is never sent to localhost: the proxy passes the clinic's own host name.)
        using var plain = clinic.SessionFrom(ProxiedClinicFactory.Proxy, forwardedFor: Client, forwardedProto: "http", baseAddress: "http://clinic.example");
        var redirected = await plain.GetAsync("/Account/Login?returnUrl=%2FDashboard");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.Status);
        Assert.Equal("https://clinic.example/Account/Login?returnUrl=%2FDashboard", redirected.Location);

        // nginx terminated TLS: the app answers without another redirect (no loop), with HSTS.
        using var viaTls = clinic.SessionFrom(ProxiedClinicFactory.Proxy, forwardedFor: Client, forwardedProto: "https", baseAddress: "http://clinic.example");
        var login = await viaTls.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Matches(@"^max-age=\d{7,}", login.Response.Headers.GetValues("Strict-Transport-Security").Single());

        // Someone else cannot claim HTTPS for a plain request.
        using var outsider = clinic.SessionFrom("192.0.2.50", forwardedProto: "https");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, (await outsider.GetAsync("/Account/Login")).Status);

        // A health probe inside the network is answered over plain HTTP.
        using var probe = clinic.SessionFrom("172.30.10.99");
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health")).Status);
    }

    [Fact]
    public async Task InProductionEveryCookieIsSecure()
    {
        await using var clinic = new ProxiedClinicFactory("Production");
        var email = await NewClinicianAsync(clinic);
        using var session = clinic.SessionFrom("192.0.2.50", baseAddress: "https://localhost");

        var login = await session.GetAsync("/Account/Login");
        var signedIn = await session.LogInAsync(email, ClinicFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        var dashboard = await session.FollowAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, dashboard.Status);

        var cookies = new[] { login, signedIn, dashboard }.SelectMany(p => p.Response.Headers.TryGetValues("Set-Cookie", out var v) ? v : []).ToList();
        Assert.Contains(cookies, c => c.StartsWith("KneeClinic.Antiforgery=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("KneeClinic.Auth=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheTestingEnvironmentStillServesPlainHttp()
    {
        await using var clinic = new ProxiedClinicFactory("Testing");
        using var session = clinic.SessionFrom("192.0.2.50");
        var login = await session.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.All(login.Response.Headers.GetValues("Set-Cookie"), c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Network:KnownProxyNetworks:0", "10.20.0.0/33", "Network:KnownProxyNetworks: '10.20.0.0/33' is not a network in CIDR form")]
    [InlineData("Network:KnownProxies:0", "nginx", "Network:KnownProxies: 'nginx' is not an IP address.")]
    public async Task AProxySettingThatIsNotAnAddressStopsTheAppWithItsName(string key, string value, string message)
    {
        await using var clinic = new SettingsClinicFactory((key, value));
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => clinic.Server));
        Assert.Contains(message, failure.ToString());
    }

    private static async Task<string> NewClinicianAsync(ClinicFactory clinic)
    {
        var email = $"clinician-{Guid.NewGuid():N}@clinic.test";
        await clinic.CreateUserAsync(email, Roles.Clinician);
        return email;
    }

    private static Task<string?> SignInAddressAsync(ClinicFactory clinic, string email) => clinic.QueryAsync(db =>
        db.AuditEntries.Where(e => e.Action == AuditAction.SignedIn && e.UserName == email).Select(e => e.ClientAddress).SingleAsync());
}
