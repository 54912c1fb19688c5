using System.Diagnostics;

namespace KneeClinic.Web.Tests;

/// <summary>The template author's command, run exactly as the README gives it (already built).</summary>
public sealed class RenderConsentCommandLine
{
    private static async Task<(int Exit, string Output)> RunAsync(string arguments)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "KneeClinic.sln"))) root = root.Parent!;
        var start = new ProcessStartInfo("dotnet", $"run --project src/KneeClinic.Web --no-build -- render-consent {arguments}")
        {
            WorkingDirectory = root.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task RendersATemplateFileWithSampleDataAndNoDatabase()
    {
        var pdf = Path.Combine(Path.GetTempPath(), $"consent-{Guid.NewGuid():N}.pdf");
        try
        {
            var (exit, output) = await RunAsync($"--template templates/consent/bone-marrow.en.md --out {pdf}");

            Assert.True(exit == 0, output);
            Assert.Contains("consent-bone-marrow v2 (en)", output);
            Assert.Contains("Flesch-Kincaid grade", output);
            var bytes = await File.ReadAllBytesAsync(pdf);
            Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
        }
        finally
        {
            File.Delete(pdf);
        }
    }

    [Fact]
    public async Task ABadTemplateGetsAClearMessageAndNoFile()
    {
        var pdf = Path.Combine(Path.GetTempPath(), $"consent-{Guid.NewGuid():N}.pdf");

        var (exit, output) = await RunAsync($"--template README.md --out {pdf}");

        Assert.Equal(1, exit);
        Assert.Contains("The template must start with a YAML header", output);
        Assert.False(File.Exists(pdf));
    }
}
