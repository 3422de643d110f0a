using Send.Contracts;

namespace Send.Deployment.Tests;

/// <summary>Which project under src/ each Dapr app id runs.</summary>
public static class ServiceProjects
{
    public static IReadOnlyList<string> Folders { get; } = ["Gateway", "KeyService", "EmailService", "EventService", "WebhookService"];

    public static string Folder(string appId) => appId switch
    {
        AppIds.Gateway => "Gateway",
        AppIds.KeyService => "KeyService",
        // The worker is the EmailService image with Sending:Worker on.
        AppIds.EmailService or AppIds.EmailWorker => "EmailService",
        AppIds.EventService => "EventService",
        AppIds.WebhookService => "WebhookService",
        _ => throw new ArgumentException($"No service project is known for app id '{appId}'; add it to ServiceProjects.", nameof(appId)),
    };
}
