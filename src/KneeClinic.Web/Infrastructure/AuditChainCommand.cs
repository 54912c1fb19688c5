using KneeClinic.Core.Data;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// <c>audit-chain head</c>: writes a signed head of the audit trail to the heads folder now (for a cron job, or before
/// a backup is shipped off-site). <c>audit-chain verify</c>: checks the whole trail against its heads and prints what it
/// finds; exits 1 when something is wrong, so a scheduled check can raise an alarm.
/// </summary>
public static class AuditChainCommand
{
    public const string Name = "audit-chain";

    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter output)
    {
        var heads = app.Services.GetRequiredService<AuditHeads>();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        switch (args.FirstOrDefault())
        {
            case "head":
                var head = await heads.WriteAsync(db);
                await output.WriteLineAsync($"Signed head written to {heads.FilePath}: entry {head.Sequence}, hash {head.Hash ?? "(none)"}, key '{head.KeyId}'.");
                return 0;
            case "verify":
                var report = await heads.VerifyAsync(db);
                await output.WriteLineAsync($"{report.Entries:N0} entries read; {report.HeadLines:N0} lines in {heads.FilePath}.");
                await output.WriteLineAsync(report.LatestHead is { } latest
                    ? $"Latest signed head: entry {latest.Sequence}, written {latest.At:yyyy-MM-dd HH:mm} UTC."
                    : "No valid signed head: entries cut off the end cannot be detected.");
                foreach (var problem in report.Problems) await output.WriteLineAsync(problem.Text);
                if (report.Intact) await output.WriteLineAsync("The chain is intact.");
                return report.Intact ? 0 : 1;
            default:
                await output.WriteLineAsync($"Usage: {Name} head | {Name} verify");
                return 2;
        }
    }
}
