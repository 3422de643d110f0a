namespace Send.WebhookService.Model;

/// <summary>A customer's URL that receives the organization's events, with its signing secrets and its health.</summary>
public sealed class WebhookEndpoint
{
    /// <summary><c>wh_…</c>.</summary>
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Url { get; set; }

    /// <summary>Event types delivered; empty or <c>*</c> means all of them.</summary>
    public List<string> Events { get; set; } = [];

    public string Status { get; set; } = WebhookStatus.Enabled;

    /// <summary>The <c>whsec_…</c> secret, sealed with SecretBox (purpose <c>webhook:{id}</c>): never stored in the clear.</summary>
    public required string SigningSecret { get; set; }

    /// <summary>The secret before the last rotation, still signing (beside the new one) until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSigningSecret { get; set; }
    public DateTimeOffset? PreviousSecretUntil { get; set; }

    /// <summary>Failed attempts since the last success; the run started at <see cref="FailingSince"/>.</summary>
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset? LastDeliveredAt { get; set; }
    public DateTimeOffset? LastFailedAt { get; set; }

    /// <summary>Why Send disabled the endpoint (410 Gone, a long run of failures); null when a person did, or it is enabled.</summary>
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
