using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>One controller action as the app routes it, with a URL that reaches it and the HTTP methods it takes.</summary>
public sealed record ControllerRoute(RouteEndpoint Endpoint, ControllerActionDescriptor Action, string Url, IReadOnlyList<string> Methods)
{
    /// <summary>Every controller route from the app's own endpoint data source; route parameters get sample values.</summary>
    public static IReadOnlyList<ControllerRoute> All(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Action: e.Metadata.GetMetadata<ControllerActionDescriptor>()))
            .Where(x => x.Action is not null)
            .Select(x => new ControllerRoute(x.Endpoint, x.Action!,
                x.Action!.AttributeRouteInfo?.Template is { } template
                    ? "/" + template.Replace("{code:int}", "500").Replace("{n?}", "KC-0000-00000000")
                    : $"/{x.Action.ControllerName}/{x.Action.ActionName}/{Guid.NewGuid()}",
                [.. x.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]]))];
}
