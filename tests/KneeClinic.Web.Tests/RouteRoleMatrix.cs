using System.Net;
using KneeClinic.Core.Staff;
using Xunit.Abstractions;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Every controller endpoint from the app's endpoint data source, GET and POST, requested anonymously, as a
/// clinician and as an administrator, against the access table below. An endpoint of a feature the table does
/// not name fails the test, so a new feature has to be given its roles here.
/// </summary>
public sealed class RouteRoleMatrix(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    private enum Access { Public, SignedIn, Clinician, Administrator, Staff }

    /// <summary>Who may use each feature (controller), and the few actions that differ from their feature.</summary>
    private static readonly Dictionary<string, Access> Features = new()
    {
        ["Account"] = Access.Public,
        ["Home"] = Access.SignedIn,
        ["Manage"] = Access.SignedIn,
        ["Dashboard"] = Access.Clinician,
        ["Patients"] = Access.Clinician,
        ["Cases"] = Access.Clinician,
        ["Screening"] = Access.Clinician,
        ["Procedures"] = Access.Clinician,
        ["Consents"] = Access.Clinician,
        ["ConsentRecords"] = Access.Administrator,
        ["ConsentTemplates"] = Access.Administrator,
        ["Staff"] = Access.Administrator,
        ["Audit"] = Access.Administrator,
        ["Outcomes"] = Access.Staff,
        ["Exports"] = Access.Staff,
        ["Research"] = Access.Administrator,
    };

    private static readonly Dictionary<string, Access> Actions = new()
    {
        ["Home.Error"] = Access.Public,
        ["Home.Status"] = Access.Public,
        // Both roles check a paper consent against the record and open its PDF, short form, screen-reader page and scan.
        ["Consents.Verify"] = Access.Staff,
        ["Consents.VerifyPost"] = Access.Staff,
        ["Consents.Download"] = Access.Staff,
        ["Consents.Scan"] = Access.Staff,
        ["Consents.ShortForm"] = Access.Staff,
        ["Consents.Accessible"] = Access.Staff,
    };

    /// <summary>Actions that end the session they are sent in; each is tried with a session of its own.</summary>
    private static readonly HashSet<string> EndsTheSession = ["Account.Logout"];

    [Fact]
    public async Task EveryEndpointAnswersEachRoleAsTheAccessTableSays()
    {
        var routes = ControllerRoute.All(factory.Services);
        var unknown = routes.Select(r => r.Action.ControllerName).Distinct().Where(c => !Features.ContainsKey(c)).ToList();
        Assert.True(unknown.Count == 0, $"Give these features their roles in the access table: {string.Join(", ", unknown)}");

        using var anonymous = factory.Session();
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        using var administrator = await factory.SignedInAsync(Roles.Administrator);
        var callers = new (string Name, WebSession? Session, string? Role)[]
        {
            ("anonymous", anonymous, null), ("clinician", clinician, Roles.Clinician), ("administrator", administrator, Roles.Administrator),
        };
        var failures = new List<string>();
        var requests = 0;
        var answers = new SortedDictionary<int, int>();
        var endpoints = 0;

        foreach (var route in routes.OrderBy(r => r.Url, StringComparer.Ordinal))
        {
            var name = $"{route.Action.ControllerName}.{route.Action.ActionName}";
            var access = Actions.TryGetValue(name, out var a) ? a : Features[route.Action.ControllerName];
            foreach (var method in route.Methods)
            {
                endpoints++;
                foreach (var (caller, shared, role) in callers)
                {
                    var own = EndsTheSession.Contains(name) && role is not null ? await factory.SignedInAsync(role) : null;
                    var session = own ?? shared!;
                    var (status, location) = await SendAsync(session, method, route.Url);
                    own?.Dispose();
                    requests++;
                    answers[(int)status] = answers.GetValueOrDefault((int)status) + 1;
                    var problem = Check(access, role, status, location);
                    if (problem is not null) failures.Add($"{method} {route.Url} ({name}) as {caller}: {(int)status} {location} - {problem}");
                }
            }
        }

        output.WriteLine($"{routes.Count} routes, {endpoints} endpoint-method pairs, {requests} requests ({callers.Length} callers each)");
        output.WriteLine("answers: " + string.Join(", ", answers.Select(x => $"{x.Key} x{x.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(endpoints >= 60, $"only {endpoints} endpoints found");
    }

    private static string? Check(Access access, string? role, HttpStatusCode status, string? location)
    {
        if ((int)status >= 500) return "server error";
        var toLogin = status == HttpStatusCode.Redirect && location?.Contains("/Account/Login", StringComparison.Ordinal) == true;
        if (access == Access.Public)
            return status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? "a public page refused" : null;
        if (role is null)
            return toLogin ? null : "expected a redirect to sign-in";
        var allowed = access switch
        {
            Access.SignedIn or Access.Staff => true,
            Access.Clinician => role == Roles.Clinician,
            Access.Administrator => role == Roles.Administrator,
            _ => false,
        };
        if (!allowed) return status == HttpStatusCode.Forbidden ? null : "expected 403";
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return "refused a permitted role";
        return toLogin ? "the session was lost" : null;
    }

    /// <summary>GET as it is; POST with the caller's antiforgery token and an otherwise empty form.</summary>
    private static async Task<(HttpStatusCode, string?)> SendAsync(WebSession session, string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            var tokenPage = await session.GetAsync("/Account/Login");
            var token = tokenPage.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
            request.Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        }
        using var response = await session.Client.SendAsync(request);
        return (response.StatusCode, response.Headers.Location?.OriginalString);
    }
}
