namespace Send.Contracts;

/// <summary>
/// Topic names. Hyphens only: SNS topic and SQS queue names allow letters, digits, '-' and '_',
/// so these names reach AWS unchanged.
/// </summary>
public static class Topics
{
    /// <summary>Accepted emails waiting for the delivery worker.</summary>
    public const string EmailSend = "email-send";

    /// <summary>The same work for priority sends; the worker drains it first.</summary>
    public const string EmailSendPriority = "email-send" + PrioritySuffix;

    /// <summary>A topic named with this suffix is a priority topic: the outbox relays it first.</summary>
    public const string PrioritySuffix = "-priority";

    /// <summary>Raw delivery events from providers (SES notifications, SMTP outcomes).</summary>
    public const string ProviderEvents = "provider-events";

    /// <summary>An email's public lifecycle (email.sent, email.delivered…), the source of webhooks.</summary>
    public const string EmailEvents = "email-events";

    /// <summary>Sending domains' lifecycle (domain.created, domain.verified…), the source of webhooks.</summary>
    public const string DomainEvents = "domain-events";

    /// <summary>Organization-wide decisions (sending paused by the reputation policy, reinstated).</summary>
    public const string OrganizationEvents = "organization-events";

    /// <summary>Webhook endpoints disabled (by Send or a person) or enabled again.</summary>
    public const string WebhookEvents = "webhook-events";

    public static readonly IReadOnlyList<string> All = [EmailSend, EmailSendPriority, ProviderEvents, EmailEvents, DomainEvents, OrganizationEvents, WebhookEvents];

    /// <summary>
    /// Where a service's undeliverable messages go: one dead-letter topic per service, which
    /// that service itself subscribes to so it can store, list and replay them.
    /// </summary>
    public static string DeadLetters(string appId) => $"{appId}-dead-letters";
}
