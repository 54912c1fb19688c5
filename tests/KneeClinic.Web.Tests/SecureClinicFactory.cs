using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The app with its own Security settings from appsettings.json (two-factor required for administrators, the
/// shipped sign-in rate limits), and clients that can come from different addresses, as through a proxy.
/// </summary>
public sealed class SecureClinicFactory : ClinicFactory
{
    public const string ClientAddressHeader = "X-Test-Client-Address";

    protected override void ConfigureSecurity(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ClientAddressFromHeader>());

    /// <summary>A session whose requests come from <paramref name="address"/>.</summary>
    public WebSession SessionFrom(string address)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add(ClientAddressHeader, address);
        return new WebSession(client);
    }

    /// <summary>The test server has no network peer; this stands in for the connection's remote address.</summary>
    internal sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                if (context.Request.Headers[ClientAddressHeader] is [{ } value] && IPAddress.TryParse(value, out var address))
                    context.Connection.RemoteIpAddress = address;
                await proceed(context);
            });
            next(app);
        };
    }
}
