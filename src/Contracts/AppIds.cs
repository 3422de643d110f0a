namespace Send.Contracts;

/// <summary>
/// Each service's Dapr app id. The local transport uses it as the Redis consumer group, so all
/// replicas of one service compete for a topic's messages while each service gets every message.
/// </summary>
public static class AppIds
{
    public const string Gateway = "gateway";
    public const string KeyService = "keyservice";
    public const string EmailService = "emailservice";
    public const string EventService = "eventservice";
    public const string WebhookService = "webhookservice";

    public static readonly IReadOnlyList<string> All = [Gateway, KeyService, EmailService, EventService, WebhookService];
}
