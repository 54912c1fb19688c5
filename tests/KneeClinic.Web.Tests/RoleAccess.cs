using System.Net;
using KneeClinic.Core.Staff;

namespace KneeClinic.Web.Tests;

/// <summary>Least privilege: clinicians do not administer, administrators do not open patient records.</summary>
public sealed class RoleAccess(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    [Theory]
    [InlineData("/Staff")]
    [InlineData("/Staff/Create")]
    public async Task AClinicianGets403OnAdministratorPages(string url)
    {
        using var session = await factory.SignedInAsync(Roles.Clinician);

        var page = await session.GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("Not allowed", page.Text);
    }

    [Fact]
    public async Task AClinicianCannotCreateStaffByPostingTheFormDirectly()
    {
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var form = await admin.GetAsync("/Staff/Create");
        // The clinician's own antiforgery token, taken from a page the clinician may see.
        var own = await clinician.GetAsync("/Manage");
        var token = own.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await clinician.Client.PostAsync("/Staff/Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["DisplayName"] = "Sneaky",
            ["Email"] = "sneaky@clinic.test",
            ["InitialPassword"] = "long enough password",
            ["Administrator"] = "true",
        }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(form.Document.QuerySelector("form[action='/Staff/Create']"));
        Assert.False(await factory.QueryAsync(db => Task.FromResult(db.Users.Any(u => u.Email == "sneaky@clinic.test"))));
    }

    [Theory]
    [InlineData("/Patients")]
    [InlineData("/Patients/Create")]
    public async Task AnAdministratorGets403OnPatientPages(string url)
    {
        using var session = await factory.SignedInAsync(Roles.Administrator);

        Assert.Equal(HttpStatusCode.Forbidden, (await session.GetAsync(url)).Status);
    }

    [Fact]
    public async Task EachRoleLandsOnItsOwnStartPage()
    {
        using var clinician = await factory.SignedInAsync(Roles.Clinician);
        using var admin = await factory.SignedInAsync(Roles.Administrator);

        Assert.Equal("/Dashboard", (await clinician.GetAsync("/")).Location);
        Assert.Equal("/Staff", (await admin.GetAsync("/")).Location);
    }
}
