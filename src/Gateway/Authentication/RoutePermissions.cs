using Yarp.ReverseProxy.Model;

namespace Send.Gateway.Authentication;

/// <summary>
/// The permission a route needs comes from the route's configuration metadata
/// (<c>ReadPermission</c> for GET/HEAD, <c>WritePermission</c> otherwise), next to the route
/// itself, so adding a route and protecting it is one edit.
/// </summary>
public static class RoutePermissions
{
    public const string ReadKey = "ReadPermission";
    public const string WriteKey = "WritePermission";

    public static string? Required(HttpContext context)
    {
        var metadata = context.GetReverseProxyFeature().Route.Config.Metadata;
        var key = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ? ReadKey : WriteKey;
        return metadata is not null && metadata.TryGetValue(key, out var permission) ? permission : null;
    }
}
