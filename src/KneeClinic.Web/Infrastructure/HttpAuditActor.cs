using System.Security.Claims;
using KneeClinic.Core.Audit;

namespace KneeClinic.Web.Infrastructure;

/// <summary>The signed-in user of the current request, or "system" outside a request.</summary>
public sealed class HttpAuditActor(IHttpContextAccessor accessor) : IAuditActor
{
    private ClaimsPrincipal? User => accessor.HttpContext?.User;

    public string? UserId => User?.FindFirstValue(ClaimTypes.NameIdentifier);

    public string? UserName => accessor.HttpContext is null ? "system"
        : User?.Identity?.IsAuthenticated == true ? User.Identity.Name
        : "anonymous";

    public string? ClientAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
