using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// <c>create-admin --email X [--name "Full Name"]</c>: creates the first administrator of a production
/// install, which has no default account. The password comes from KNEECLINIC_ADMIN_PASSWORD or, failing
/// that, the first line of standard input, so it never appears in the process list or shell history.
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";
    public const string PasswordVariable = "KNEECLINIC_ADMIN_PASSWORD";

    public static async Task<int> RunAsync(WebApplication app, string[] args, TextReader input, TextWriter output)
    {
        var email = Option(args, "--email");
        if (string.IsNullOrWhiteSpace(email))
        {
            await output.WriteLineAsync($"Usage: {Name} --email <address> [--name \"Full Name\"]  (password from {PasswordVariable} or standard input)");
            return 2;
        }

        var password = Environment.GetEnvironmentVariable(PasswordVariable);
        if (string.IsNullOrEmpty(password))
        {
            await output.WriteLineAsync("Password (12 characters or more):");
            password = (await input.ReadLineAsync())?.TrimEnd('\r', '\n');
        }
        if (string.IsNullOrEmpty(password))
        {
            await output.WriteLineAsync("No password given.");
            return 2;
        }

        await DatabaseSetup.MigrateAsync(app.Services, app.Configuration);
        await RoleSetup.EnsureRolesAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = new ClinicUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = Option(args, "--name") ?? email };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
            result = await users.AddToRoleAsync(user, Roles.Administrator);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                await output.WriteLineAsync(error.Description);
            return 1;
        }
        await output.WriteLineAsync($"Administrator {email} created.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
