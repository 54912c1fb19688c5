using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The "Network" settings: which proxies may tell the app the client's address and scheme, and whether answers must
/// be HTTPS (Production only, on by default). Checked at start.
/// </summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";

    /// <summary>Addresses of the reverse proxies in front of the app (loopback is always trusted).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, such as 172.30.10.0/24) the reverse proxies are on.</summary>
    public List<string> KnownProxyNetworks { get; set; } = [];

    /// <summary>In Production: Secure cookies, HSTS and a redirect to HTTPS. Off only for a test run without TLS.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>The port browsers reach HTTPS on (the proxy's), for the redirect from HTTP.</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>What is wrong with the settings, naming each one; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
            yield return $"Network:KnownProxies: '{proxy}' is not an IP address.";
        foreach (var network in KnownProxyNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
            yield return $"Network:KnownProxyNetworks: '{network}' is not a network in CIDR form (such as 172.30.10.0/24).";
        if (HttpsPort is < 1 or > 65535) yield return "Network:HttpsPort must be from 1 to 65535.";
    }

    public sealed class Validator : IValidateOptions<NetworkOptions>
    {
        public ValidateOptionsResult Validate(string? name, NetworkOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Running behind a reverse proxy that terminates TLS (nginx in docker-compose.yml): the client's address and the
/// scheme are taken from X-Forwarded-For and X-Forwarded-Proto only when the request comes from a known proxy, so
/// the audit trail and the per-client sign-in limit see the real client, and nobody else can claim another address.
/// </summary>
public static class ClinicNetwork
{
    public static void AddClinicNetwork(this IServiceCollection services)
    {
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkOptions>, NetworkOptions.Validator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((options, network) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // One proxy: the last address in X-Forwarded-For is the one nginx saw; anything before it is the client's claim.
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Add(IPAddress.Loopback);
            options.KnownProxies.Add(IPAddress.IPv6Loopback);
            foreach (var proxy in network.Value.KnownProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var cidr in network.Value.KnownProxyNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(cidr));
        });
        services.AddOptions<CookiePolicyOptions>().Configure<IHostEnvironment, IOptions<NetworkOptions>>((options, environment, network) =>
        {
            // Every cookie (sign-in, two-factor, antiforgery, TempData) is sent over HTTPS only.
            if (HttpsOnly(environment, network.Value)) options.Secure = CookieSecurePolicy.Always;
        });
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<NetworkOptions>>((options, network) =>
            options.HttpsPort = network.Value.HttpsPort);
    }

    public static bool HttpsOnly(IHostEnvironment environment, NetworkOptions network) => environment.IsProduction() && network.RequireHttps;

    /// <summary>First in the pipeline: everything after it, the audit trail included, sees the client, not the proxy.</summary>
    public static void UseForwardedHeadersFromProxies(this WebApplication app) => app.UseForwardedHeaders();

    /// <summary>
    /// In Production: HTTP redirected to HTTPS (by the scheme nginx reports, so a request that reached nginx over
    /// HTTPS is not redirected again) and Secure cookies. HSTS is sent outside Development by UseKneeClinic.
    /// </summary>
    public static void UseHttpsOnly(this WebApplication app)
    {
        if (!HttpsOnly(app.Environment, app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value)) return;
        // A health probe from inside the network (an orchestrator, a load balancer) asks over plain HTTP.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health"), https => https.UseHttpsRedirection());
        app.UseCookiePolicy();
    }
}
