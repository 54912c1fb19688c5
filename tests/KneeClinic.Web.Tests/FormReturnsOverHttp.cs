using System.Net;
using System.Text.Json;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// No dead end after a session ends: an address that only takes a form, asked with GET (sign-in returning to it, a
/// reload), leads to the page holding the form; the session's remaining time is on every signed-in page, and a
/// keep-alive renews it.
/// </summary>
public sealed class FormReturnsOverHttp(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    [Fact]
    public async Task EveryPostOnlyRouteAskedWithGetLeadsToThePageOfItsForm()
    {
        var routes = ControllerRoute.All(factory.Services);
        var postOnly = routes.GroupBy(r => $"{r.Action.ControllerName}/{r.Action.ActionName}")
            .Where(g => g.All(r => !r.Methods.Contains("GET")))
            .Select(g => g.Key).Order().ToList();
        Assert.Equal(postOnly, FormReturns.Actions.Order().ToList());

        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        using var administrator = await factory.SignedInAsync(Roles.Administrator);
        var staffId = (await factory.CreateUserAsync($"nurse-{Guid.NewGuid():N}@clinic.test", Roles.Clinician)).Id;
        var patientId = (await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync())).ToString();
        var adminFeatures = new[] { "Staff", "ConsentTemplates", "Audit", "Research" };
        foreach (var action in postOnly.Where(a => a != "Account/Logout"))
        {
            var feature = action.Split('/')[0];
            var session = adminFeatures.Contains(feature) ? administrator : clinician;
            var id = feature switch
            {
                "Staff" => staffId,
                "Exports" => patientId,
                "Manage" or "Audit" or "ConsentTemplates" or "Research" => "",
                _ => caseId.ToString(),
            };
            var answer = await session.GetAsync($"/{action}/{id}".TrimEnd('/'));
            if (action is "Consents/Withdraw" or "Consents/Void" or "Procedures/EnteredInError")
            {
                // Their id is a consent form's or an event's: an unknown one is "not found", never "method not allowed".
                Assert.True(answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Redirect, $"{action}: {answer.Status}");
                continue;
            }
            Assert.True(answer.Status == HttpStatusCode.Redirect, $"GET {action}: {answer.Status}");
            var page = await session.FollowAsync(answer);
            Assert.True(page.Status == HttpStatusCode.OK, $"GET {action} -> {answer.Location}: {page.Status}");
        }
        Assert.Equal($"/Cases/Injection/{caseId}", (await clinician.GetAsync($"/Procedures/Inject/{caseId}")).Location);
    }

    [Fact]
    public async Task AFormSentAfterTheSessionEndedReturnsToItsPageAfterSigningIn()
    {
        var (clinician, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose);
        var email = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId)
            .Join(db.Users, c => c.AssignedClinicianId, u => u.Id, (_, u) => u.Email!).SingleAsync());
        var screening = await clinician.GetAsync($"/Cases/Screening/{caseId}");
        Assert.Equal(HttpStatusCode.OK, screening.Status);

        // Twenty idle minutes pass while the form is filled in; sending it finds the session over.
        factory.Clock.Advance(TimeSpan.FromMinutes(21));
        var sent = await clinician.SubmitAsync(screening, "form[action^='/Screening/Checkup/']", Fields(("Checkup.MedicalHistory", "Knee pain for six years")));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var login = new Uri(new Uri("http://localhost"), sent.Location!);
        Assert.Equal("/Account/Login", login.AbsolutePath);
        var returnUrl = Uri.UnescapeDataString(login.Query.Split("ReturnUrl=")[1]);
        Assert.Equal($"/Screening/Checkup/{caseId}", returnUrl);

        // Signing in again goes back to that address, which leads to the screening page (not "405").
        var loginPage = await clinician.GetAsync(sent.Location!);
        var signedIn = await clinician.SubmitAsync(loginPage, "form[action^='/Account/Login']",
            Fields(("Email", email), ("Password", ClinicFactory.Password)));
        Assert.Equal(returnUrl, signedIn.Location);
        var back = await clinician.GetAsync(signedIn.Location!);
        Assert.Equal(HttpStatusCode.Redirect, back.Status);
        Assert.Equal($"/Cases/Screening/{caseId}", back.Location);
        var page = await clinician.FollowAsync(back);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("form[action^='/Screening/Checkup/']"));
    }

    /// <summary>The keep-alive as the page's script sends it.</summary>
    private static Task<HttpResponseMessage> KeepAliveAsync(WebSession session)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/Manage/KeepAlive");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return session.Client.SendAsync(request);
    }

    [Fact]
    public async Task EveryPageSaysHowLongTheSessionHasAndAKeepAliveRenewsIt()
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);
        var page = await session.GetAsync("/Patients");
        // Twenty minutes from the sign-in, as the cookie carries it: to the second, so up to a second less.
        Assert.InRange(int.Parse(page.Document.Body!.GetAttribute("data-session-seconds")!, System.Globalization.CultureInfo.InvariantCulture), 1199, 1200);
        Assert.NotNull(page.Document.QuerySelector("#session-warning #stay-signed-in"));

        factory.Clock.Advance(TimeSpan.FromMinutes(19));
        var alive = await KeepAliveAsync(session);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("no-store", alive.Headers.CacheControl?.ToString().Split(',')[0].Trim());
        using (var json = JsonDocument.Parse(await alive.Content.ReadAsStringAsync()))
            Assert.Equal(1200, json.RootElement.GetProperty("secondsLeft").GetInt32());

        // Nineteen more minutes: still signed in, thanks to the keep-alive.
        factory.Clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Patients")).Status);

        factory.Clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(HttpStatusCode.Unauthorized, (await KeepAliveAsync(session)).StatusCode);
        using var anonymous = factory.Session();
        var signIn = await anonymous.GetAsync("/Account/Login");
        Assert.Equal("", signIn.Document.Body!.GetAttribute("data-session-seconds") ?? "");
    }
}
