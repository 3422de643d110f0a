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

    /// <summary>
    /// The delivery worker's sidecar on Kubernetes, where the worker is a deployment of the
    /// EmailService image of its own (<c>Sending:Worker</c>) so it scales apart from the API. Dapr
    /// needs an app id per deployment: two deployments under one id would share one SQS queue, and
    /// the API's sidecars would receive sends they have no handler for. The code still calls
    /// itself <see cref="EmailService"/> (same database, same dead-letter topic).
    /// </summary>
    public const string EmailWorker = "emailworker";

    public static readonly IReadOnlyList<string> All = [Gateway, KeyService, EmailService, EmailWorker, EventService, WebhookService];
}
