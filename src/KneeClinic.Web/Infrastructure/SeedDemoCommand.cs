using System.Globalization;
using KneeClinic.Core.Data;
using KneeClinic.Web.Features.Consents;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// <c>seed-demo --patients N [--seed S] [--append]</c>: fills the configured database with <see cref="DemoGenerator"/>'s
/// fictional patients, for demonstrations and for trying the app at scale. Refuses a database that already holds
/// patients unless told to add to them, so it can never be run into a clinic's records by mistake.
/// </summary>
public static class SeedDemoCommand
{
    public const string Name = "seed-demo";
    public const int MaxPatients = 1_000_000;

    /// <summary>When set, the generated clinicians (clinician1@seed.kneeclinic.test ...) get this password; otherwise none.</summary>
    public const string PasswordVariable = "KNEECLINIC_DEMO_PASSWORD";

    public const string Usage = $"Usage: {Name} --patients <1 to 1000000> [--seed <number>] [--append]  (the same seed gives the same data; " +
        $"the generated clinicians can sign in only when {PasswordVariable} gives them a password)";

    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, string[] args, TextWriter output, bool redrawProgress,
        string? clinicianPassword = null)
    {
        if (Parse(args) is not { } options)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }

        await DatabaseSetup.MigrateAsync(services, configuration);
        await RoleSetup.EnsureRolesAsync(services);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ConsentTemplateLibrary>()
                .ImportAsync(scope.ServiceProvider.GetRequiredService<ClinicDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
        }

        var generator = new DemoGenerator(services, string.IsNullOrEmpty(clinicianPassword) ? null : clinicianPassword);
        if (!options.Append && await generator.HasPatientsAsync())
        {
            await output.WriteLineAsync($"The database already holds patients; {Name} adds demo patients only to an empty database. " +
                "Point the app at a new database file, or pass --append to add to these (never on a clinic's real records).");
            return 1;
        }

        await output.WriteLineAsync($"Generating {options.Patients:N0} demo patients with seed {options.Seed}...");
        var progress = new ConsoleProgress(output, options.Patients, redrawProgress);
        var result = await generator.GenerateAsync(options.Patients, options.Seed, progress);
        progress.Finish();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Generated {result.Patients:N0} patients and {result.Cases:N0} cases with seed {result.Seed} in {result.Took.TotalSeconds:F1} s."));
        return 0;
    }

    private sealed record Options(int Patients, int Seed, bool Append);

    private static Options? Parse(string[] args)
    {
        int? patients = null;
        var seed = 1;
        var append = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--patients" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= MaxPatients:
                    patients = n;
                    i++;
                    break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    i++;
                    break;
                case "--append":
                    append = true;
                    break;
                // Settings for the host (--ConnectionStrings:Sqlite=..., --Database:Provider SqlServer) are the host's.
                case var setting when setting.StartsWith("--", StringComparison.Ordinal) && setting.Contains(':', StringComparison.Ordinal):
                    if (!setting.Contains('=', StringComparison.Ordinal)) i++;
                    break;
                default:
                    return null;
            }
        }
        return patients is { } count ? new Options(count, seed, append) : null;
    }

    /// <summary>A bar redrawn on one line on a terminal; plain lines every tenth when the output goes to a file or a pipe.</summary>
    private sealed class ConsoleProgress(TextWriter output, int total, bool redraw) : IProgress<int>
    {
        private const int Width = 40;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private int _lastTenth = -1;

        public void Report(int done)
        {
            var fraction = (double)done / total;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{done,9:N0} / {total:N0} patients  {fraction,4:P0}  {_clock.Elapsed.TotalSeconds,6:F1} s");
            if (redraw)
            {
                var filled = (int)(fraction * Width);
                output.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {line}");
            }
            else if ((int)(fraction * 10) is var tenth && tenth != _lastTenth)
            {
                _lastTenth = tenth;
                output.WriteLine(line);
            }
        }

        public void Finish()
        {
            if (redraw) output.WriteLine();
        }
    }
}
