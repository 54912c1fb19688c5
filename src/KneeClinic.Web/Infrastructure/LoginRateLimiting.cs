using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>Marks the action that checks a password: its posts are limited per client address and per username.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LoginRateLimitedAttribute : Attribute;

/// <summary>
/// ASP.NET Core's rate limiter, chained: one fixed window per client address and one per normalised username (read
/// from the posted form), both in force on the sign-in post only. Lockout stops guessing one account's password;
/// this stops one client from trying many accounts, and many clients from hammering one.
/// </summary>
public static class LoginRateLimiting
{
    public const string UsernameField = "Email";

    public static void AddLoginRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddSingleton<UsernameAttempts>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>, UsernameAttempts>((options, security, usernames) =>
        {
            var perClient = security.Value.LoginRateLimitPerClient;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsLogin(context)
                    ? RateLimitPartition.GetFixedWindowLimiter("client:" + ClientAddress(context), _ => Window(perClient))
                    : RateLimitPartition.GetNoLimiter("")),
                usernames.Limiter.WithTranslatedKey<HttpContext>(context => IsLogin(context) ? PostedUsername(context) : "", leaveOpen: true));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
        });
    }

    /// <summary>The fields that carry a credential: each must come once, in the posted form, never in the address.</summary>
    public static readonly string[] CredentialFields = [UsernameField, "Password"];

    /// <summary>
    /// Reads the sign-in form before the limiter runs, because a partition is chosen synchronously. A credential sent
    /// twice, or in the query string, is refused (400) before it reaches the limiter: model binding would take the query's
    /// or one of the two values while the limit counted another, a way past the per-username limit.
    /// </summary>
    public static void UseLoginRateLimiting(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            if (IsLogin(context))
            {
                var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
                if (CredentialFields.Any(field => context.Request.Query.ContainsKey(field) || form is null || form[field].Count > 1))
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("Sign in with the form: the email and the password once each, in the form, not in the address.",
                        context.RequestAborted);
                    return;
                }
            }
            await next(context);
        });
        app.UseRateLimiter();
    }

    private static bool IsLogin(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.GetEndpoint()?.Metadata.GetMetadata<LoginRateLimitedAttribute>() is not null;

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// Normalised by Identity's own normaliser, the one its lookup uses, so "Ann@Clinic.test ", "ann@clinic.test" and a
    /// name spelt with look-alike characters Identity folds to the same account ("K", the Kelvin sign, is "K") share a limit.
    /// </summary>
    private static string PostedUsername(HttpContext context) =>
        context.Request.HasFormContentType && context.Request.Form.TryGetValue(UsernameField, out var value)
            ? context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Identity.ILookupNormalizer>().NormalizeEmail(value.ToString().Trim()) ?? ""
            : "";

    internal static FixedWindowRateLimiterOptions Window(LoginRateLimit limit) => new()
    {
        PermitLimit = limit.PermitLimit,
        Window = limit.Window,
        QueueLimit = 0,
    };

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LoginRateLimiting))
            .LogWarning("Sign-in attempt refused by the rate limit; retry after {Seconds} s", seconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/html; charset=utf-8";
        var when = seconds < 120 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Too many sign-in attempts</title></head>
            <body><h1>Too many sign-in attempts</h1>
            <p>There have been too many sign-in attempts from this computer or for this account. Try again in {WebUtility.HtmlEncode(when)}.</p>
            <p><a href="/Account/Login">Back to sign-in</a></p></body></html>
            """, cancellationToken);
    }
}

/// <summary>
/// The per-username limit (Security:LoginRateLimitPerUsername), one fixed window per normalised user name, shared by every
/// place a password is tried: the sign-in post (through the rate limiter's chain) and a colleague's confirmation as
/// second verifier, so a form that takes a colleague's password is no way around the sign-in limit.
/// </summary>
public sealed class UsernameAttempts(IOptions<SecurityOptions> security) : IDisposable
{
    /// <summary>Keyed on the normalised user name; the empty key (a request that tries no password) is not limited.</summary>
    public PartitionedRateLimiter<string> Limiter { get; } = PartitionedRateLimiter.Create<string, string>(name => name.Length == 0
        ? RateLimitPartition.GetNoLimiter("")
        : RateLimitPartition.GetFixedWindowLimiter("user:" + name, _ => LoginRateLimiting.Window(security.Value.LoginRateLimitPerUsername)));

    /// <summary>One attempt for <paramref name="normalizedName"/>: null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAttempt(string normalizedName)
    {
        using var lease = Limiter.AttemptAcquire(normalizedName);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : security.Value.LoginRateLimitPerUsername.Window;
    }

    public void Dispose() => Limiter.Dispose();
}
