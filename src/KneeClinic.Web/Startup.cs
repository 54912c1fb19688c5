using System.Text.Encodings.Web;
using System.Text.Unicode;
using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using KneeClinic.Core.Staff;
using KneeClinic.Documents.Consent;
using KneeClinic.Documents.Fonts;
using KneeClinic.Web.Features.Consents;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;

namespace KneeClinic.Web;

/// <summary>The composition root: services in <see cref="AddKneeClinic"/>, the pipeline in <see cref="UseKneeClinic"/>.</summary>
public static class Startup
{
    public const string ClinicalPolicy = "Clinical";
    public const string AdministrationPolicy = "Administration";
    public const string StaffPolicy = "Staff";

    public static void AddKneeClinic(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<IAuditActor, HttpAuditActor>();
        services.AddClinicDatabase();
        // Page views and downloads are written to the audit trail together, one transaction for all waiting at once.
        services.AddSingleton<AuditReads>();
        services.AddMemoryCache();
        services.AddSingleton<ReferenceData>();
        services.AddSingleton<UnknownAccounts>();
        services.AddScoped<Features.Dashboard.Worklists>();
        services.AddScoped<Features.Outcomes.OutcomeFigures>();
        services.AddScoped<Features.Exports.FhirExport>();
        services.AddScoped<Features.Research.ResearchExport>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditReads>());
        services.AddSingleton<Features.Audit.AuditRecordTypes>();
        // The audit trail is signed with keys kept outside the database, and its signed heads written outside it too.
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptions.Validator>();
        // (The database settings are checked first: a key is never made in a data folder that is not a valid setting.)
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value is not null
            ? sp.GetRequiredService<IOptions<AuditOptions>>().Value.KeyRing(sp.GetRequiredService<IHostEnvironment>(),
                DatabaseSetup.DataDirectory(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()))
            : throw new InvalidOperationException("The Database settings could not be read."));
        services.AddSingleton<AuditHeads>();
        services.AddHostedService<AuditHeadWriter>();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptions.Validator>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<SecurityOptions>>((options, security) =>
        {
            options.Password.RequiredLength = security.Value.PasswordMinimumLength;
            options.Lockout.MaxFailedAccessAttempts = security.Value.MaxFailedSignIns;
            options.Lockout.DefaultLockoutTimeSpan = security.Value.LockoutDuration;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<SecurityOptions>>(
            (options, security) => options.ExpireTimeSpan = security.Value.IdleSessionLimit);

        services.AddIdentity<ClinicUser, IdentityRole>(options =>
            {
                // Length over composition rules (NIST SP 800-63B); the length is Security:PasswordMinimumLength.
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Stores.MaxLengthForKeys = 128;
            })
            .AddEntityFrameworkStores<ClinicDbContext>()
            .AddSignInManager<ClinicSignInManager>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddPasswordValidator<PasswordPolicy>();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "KneeClinic.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.SlidingExpiration = true;
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            // A database that cannot be reached during the sign-in check still ends on the error page.
            options.Events.OnValidatePrincipal = SignInCheck.ValidatePrincipalAsync;
            // A signed-in user without the role gets a real 403 (rendered by the status-code page), not a redirect.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            SessionLimits.Apply(options.Events);
        });
        // The two-factor "remember this browser" cookie is checked on every request too (the sign-in cookie's own check
        // is SignInCheck's).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddLoginRateLimiting();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ClinicalPolicy, p => p.RequireRole(Roles.Clinician))
            .AddPolicy(AdministrationPolicy, p => p.RequireRole(Roles.Administrator))
            .AddPolicy(StaffPolicy, p => p.RequireRole(Roles.Clinician, Roles.Administrator));

        // Names such as "Zoë Müller-Øvergård" are written as they are, not as numeric character references.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddControllersWithViews(o =>
        {
            o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
            o.Filters.Add<PasswordChangeRequiredFilter>();
            o.Filters.Add<RequiredTwoFactorFilter>();
            o.ModelBinderProviders.Insert(0, new CheckBoxBinderProvider());
        });
        services.Configure<RazorViewEngineOptions>(o =>
        {
            o.ViewLocationFormats.Clear();
            o.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
            o.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "KneeClinic.Antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        // Keys that protect cookies live in the database, shared by every instance, so a redeploy signs nobody out.
        services.AddClinicKeyRing(builder.Configuration);
        services.AddClinicNetwork();
        // Consent PDFs draw with fonts loaded from files; a missing font stops the app at start, not at the first consent.
        services.AddSingleton(sp => FontSet.Load(sp.GetRequiredService<IConfiguration>()["Documents:FontDirectory"]));
        services.AddSingleton<ConsentRenderer>();
        // The app does not start on Clinic settings a consent form would print wrongly; the message names the setting.
        services.AddOptions<ClinicOptions>().BindConfiguration("Clinic").ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClinicOptions>, ClinicOptions.Validator>();
        // In Production the app answers only for its public address: a request naming another host is refused (400) before
        // anything can print or link to that name. AllowedHosts set to names of its own (not "*") is kept as it is.
        if (builder.Environment.IsProduction())
            services.AddOptions<HostFilteringOptions>().PostConfigure<IOptions<ClinicOptions>>((hosts, clinic) =>
            {
                if ((hosts.AllowedHosts is not { Count: > 0 } || hosts.AllowedHosts.Contains("*")) && clinic.Value.PublicHost is { } host)
                    hosts.AllowedHosts = [host];
            });
        services.AddSingleton<ConsentTemplateLibrary>();
        services.AddSingleton<ScanStore>();
        services.AddScoped<ConsentGeneration>();
        services.AddScoped<CaseWrites>();
        services.AddSingleton(sp => new ClinicClock(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ClinicOptions>>().Value.Zone));
        // Healthy only when a table can really be read: a missing or unreadable database file is Unhealthy (503).
        services.AddHealthChecks().AddDbContextCheck<ClinicDbContext>("database",
            customTestQuery: async (db, cancellation) =>
            {
                await db.Users.AnyAsync(cancellation);
                return true;
            });
    }

    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        app.Services.GetRequiredService<FontSet>();
        await DatabaseSetup.MigrateAsync(app.Services, app.Configuration);
        // Several instances may start together on one database (docker-compose runs two): the migration is theirs to share
        // under EF Core's migration lock; what follows adds rows only when missing, and the one that loses a race reads again.
        await DatabaseSetup.AgainIfAnotherInstanceWroteFirstAsync(app.Services, "roles", () => RoleSetup.EnsureRolesAsync(app.Services));
        KeyRing.EnsureKey(app.Services);
        await DatabaseSetup.AgainIfAnotherInstanceWroteFirstAsync(app.Services, "consent templates", async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ConsentTemplateLibrary>()
                .ImportAsync(scope.ServiceProvider.GetRequiredService<ClinicDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
        });
        if (app.Environment.IsDevelopment() && app.Configuration.GetValue("Seed:Demo", true))
            await DemoData.SeedAsync(app.Services, Console.Out);
    }

    public static void UseKneeClinic(this WebApplication app)
    {
        app.UseForwardedHeadersFromProxies();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/Home/Error",
                // An unreachable database is "try again later" (503), not a fault in the app (500).
                StatusCodeSelector = e => DatabaseFaults.IsUnavailable(e) ? StatusCodes.Status503ServiceUnavailable
                    // A body that cannot be read as a form (text that is not UTF-8, too many parts) is the sender's fault.
                    : e is InvalidDataException or BadHttpRequestException ? StatusCodes.Status400BadRequest
                    : StatusCodes.Status500InternalServerError,
            });
            app.UseHsts();
        }
        app.UseHttpsOnly();
        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/Home/Status/{0}");
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = SecurityHeaders.CacheVersionedFiles });
        app.UseRouting();
        app.UseLoginRateLimiting();
        app.UseAuthentication();
        app.UseSignInCheckFailures();
        app.UseAuthorization();
        app.UseFormReturns();
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");
    }
}
