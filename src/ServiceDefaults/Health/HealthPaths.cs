using Microsoft.AspNetCore.Http;

namespace Send.ServiceDefaults.Health;

public static class HealthPaths
{
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";

    /// <summary>Checks with this tag run for liveness; every check runs for readiness.</summary>
    public const string LiveTag = "live";

    /// <summary>Checks of a dependency (database, cache) carry this tag.</summary>
    public const string ReadyTag = "ready";

    public static bool IsHealthPath(PathString path) => path.StartsWithSegments("/health");
}
