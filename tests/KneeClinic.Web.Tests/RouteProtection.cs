using System.Net;
using Microsoft.AspNetCore.Authorization;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests;

/// <summary>Every controller route, taken from the app's own endpoint data source, is closed to anonymous users.</summary>
public sealed class RouteProtection(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    private static readonly HashSet<string> PublicActions =
    [
        "Account.Login", "Account.LoginWith2fa", "Account.LoginWithRecoveryCode", "Account.Lockout", "Account.Logout",
        "Home.Error", "Home.Status",
    ];

    private IReadOnlyList<ControllerRoute> ControllerEndpoints() => ControllerRoute.All(factory.Services);

    [Fact]
    public void OnlyTheSignInAndErrorPagesArePublic()
    {
        var open = ControllerEndpoints()
            .Where(x => x.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(x => $"{x.Action.ControllerName}.{x.Action.ActionName}")
            .ToHashSet();

        Assert.Equal(PublicActions.Order(), open.Order());
    }

    [Fact]
    public async Task EveryOtherControllerRouteRedirectsAnAnonymousRequestToLogin()
    {
        using var session = factory.Session();
        var checkedRoutes = 0;
        foreach (var (endpoint, _, url, methods) in ControllerEndpoints())
        {
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) continue;
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method == "POST") request.Content = new FormUrlEncodedContent([]);
                using var response = await session.Client.SendAsync(request);

                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {url} answered {(int)response.StatusCode}");
                Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
                checkedRoutes++;
            }
        }
        output.WriteLine($"{checkedRoutes} protected routes checked anonymously");
        Assert.True(checkedRoutes >= 25, $"only {checkedRoutes} routes found");
    }

    [Fact]
    public async Task HealthIsPublicAndChecksTheDatabase()
    {
        using var session = factory.Session();
        var page = await session.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Healthy", page.Text);
    }

    [Fact]
    public async Task AnUnknownAddressGetsAPlainNotFoundPage()
    {
        using var session = await factory.SignedInAsync("Clinician");
        var page = await session.GetAsync($"/Patients/Details/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("no longer exists", page.Text);
        Assert.DoesNotContain("Exception", page.Text);
    }
}
