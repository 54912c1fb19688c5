using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>The app on a template folder holding one good file, one broken file and a second template for the same cell source.</summary>
public sealed class MixedTemplatesFactory : ClinicFactory
{
    public string TemplateFolder { get; } = Directory.CreateTempSubdirectory("kneeclinic-templates-").FullName;

    public MixedTemplatesFactory()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "KneeClinic.sln"))) repository = repository.Parent!;
        var good = File.ReadAllText(Path.Combine(repository.FullName, "templates", "consent", "adipose.en.md"));
        File.WriteAllText(Path.Combine(TemplateFolder, "adipose.en.md"), good);
        File.WriteAllText(Path.Combine(TemplateFolder, "broken.en.md"), good.Replace("{{ clinic.phone }}", "{{ clinic.fax }}").Replace("consent-adipose", "consent-broken"));
        File.WriteAllText(Path.Combine(TemplateFolder, "rival.en.md"), good.Replace("consent-adipose", "consent-adipose-rival"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Clinic:TemplateDirectory", TemplateFolder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // Disposal runs once for Dispose and again for DisposeAsync.
        if (Directory.Exists(TemplateFolder)) Directory.Delete(TemplateFolder, recursive: true);
    }
}

public sealed class TemplateImport(MixedTemplatesFactory factory) : IClassFixture<MixedTemplatesFactory>
{
    [Fact]
    public async Task ABrokenOrRivalFileIsReportedAndLeftOutWhileTheAppStarts()
    {
        var codes = await factory.QueryAsync(db => db.ConsentTemplates.Select(t => t.Code).ToListAsync());

        Assert.Equal(["consent-adipose"], codes);
        var log = string.Join("\n", factory.Logs.Lines);
        Assert.Contains("broken.en.md was not imported: Unknown placeholder {{ clinic.fax }}", log);
        Assert.Contains("rival.en.md was not imported: another template already covers Adipose", log);
    }

    [Fact]
    public async Task AFormIsNotPrintedWhenTheFontCannotShowThePatientsName()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose, givenName: "芳", familyName: "王");
        using var _ = session;
        var page = await session.GetAsync($"/Cases/Consent/{caseId}");

        var refused = await session.FollowAsync(await session.SubmitAsync(page, "#generate-consent", Fields(("Consent.Language", "en"))));

        Assert.Contains("The form cannot print these characters: 芳 王", refused.Document.QuerySelector("#flash-error")!.TextContent);
        Assert.False(await factory.QueryAsync(db => db.ConsentDocuments.AnyAsync(d => d.CaseId == caseId)));
    }
}

/// <summary>The app on a copy of the shipped template files, which a test may change after the start imported them.</summary>
public sealed class ShippedTemplatesFactory : ClinicFactory
{
    public string TemplateFolder { get; } = Directory.CreateTempSubdirectory("kneeclinic-templates-").FullName;

    public ShippedTemplatesFactory()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "KneeClinic.sln"))) repository = repository.Parent!;
        foreach (var file in Directory.GetFiles(Path.Combine(repository.FullName, "templates", "consent"), "*.md"))
            File.Copy(file, Path.Combine(TemplateFolder, Path.GetFileName(file)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Clinic:TemplateDirectory", TemplateFolder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (Directory.Exists(TemplateFolder)) Directory.Delete(TemplateFolder, recursive: true);
    }
}

/// <summary>Later starts: the files already imported add nothing, and published wording changed in place is still reported.</summary>
public sealed class TemplateImportAtLaterStarts(ShippedTemplatesFactory factory) : IClassFixture<ShippedTemplatesFactory>
{
    private async Task<int> ImportAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Features.Consents.ConsentTemplateLibrary>().ImportAsync(
            scope.ServiceProvider.GetRequiredService<Core.Data.ClinicDbContext>(), factory.Clock);
    }

    [Fact]
    public async Task UnchangedFilesAddNothingAndAFileChangedWithoutANewVersionIsReported()
    {
        var files = Directory.GetFiles(factory.TemplateFolder, "*.md").Length;
        Assert.Equal(files, await factory.QueryAsync(db => db.ConsentTemplateVersions.CountAsync()));

        Assert.Equal(0, await ImportAsync());
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("differs from published"));

        var adipose = Path.Combine(factory.TemplateFolder, "adipose.en.md");
        File.AppendAllText(adipose, "\nOne more sentence, added without a new version number.\n");
        Assert.Equal(0, await ImportAsync());

        Assert.Contains(factory.Logs.Lines, l => l.Contains("adipose.en.md differs from published consent-adipose v2 (en)"));
        Assert.Equal(files, await factory.QueryAsync(db => db.ConsentTemplateVersions.CountAsync()));
    }
}
