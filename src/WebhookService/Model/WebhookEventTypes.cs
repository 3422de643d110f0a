namespace Send.WebhookService.Model;

/// <summary>The events an endpoint can ask for: Resend's names, as EmailService and its domains publish them.</summary>
public static class WebhookEventTypes
{
    public const string All = "*";
    public const string Test = "webhook.test";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "email.queued", "email.scheduled", "email.suppressed", "email.sent", "email.failed", "email.canceled",
        "email.delivered", "email.delivery_delayed", "email.bounced", "email.complained", "email.opened", "email.clicked",
        "email.unsubscribed",
        "domain.created", "domain.verified", "domain.updated", "domain.deleted",
    };

    /// <summary>Whether an endpoint with this filter receives <paramref name="type"/>; a test event always goes where it is sent.</summary>
    public static bool Matches(IReadOnlyCollection<string> filter, string type) =>
        type == Test || filter.Count == 0 || filter.Contains(All) || filter.Contains(type);
}
