using KneeClinic.Web;
using KneeClinic.Web.Infrastructure;

if (args.FirstOrDefault() == RenderConsentCommand.Name)
    return RenderConsentCommand.Run(args.Skip(1).ToArray(), Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
builder.AddKneeClinic();
var app = builder.Build();

if (args.FirstOrDefault() == CreateAdminCommand.Name)
    return await CreateAdminCommand.RunAsync(app, args.Skip(1).ToArray(), Console.In, Console.Out);
if (args.FirstOrDefault() == MigrateCommand.Name)
    return await MigrateCommand.RunAsync(app, Console.Out);
if (args.FirstOrDefault() == AuditChainCommand.Name)
    return await AuditChainCommand.RunAsync(app, args.Skip(1).ToArray(), Console.Out);
if (args.FirstOrDefault() == SeedDemoCommand.Name)
    return await SeedDemoCommand.RunAsync(app.Services, app.Configuration, args.Skip(1).ToArray(), Console.Out, redrawProgress: !Console.IsOutputRedirected,
        Environment.GetEnvironmentVariable(SeedDemoCommand.PasswordVariable));

await app.PrepareDatabaseAsync();
app.UseKneeClinic();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
