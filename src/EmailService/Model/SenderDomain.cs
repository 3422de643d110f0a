namespace Send.EmailService.Model;

/// <summary>
/// A domain an organization sends from, with the DNS records that prove and authenticate it.
/// Only a <see cref="Verified"/> one may appear in <c>from</c> with a live key. The DKIM
/// private key is stored sealed (<c>SecretBox</c>) and never leaves the service.
/// </summary>
public sealed class SenderDomain
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }

    /// <summary>The ASCII (punycode) form, lower-case: what DNS and the from-address check use.</summary>
    public required string Name { get; set; }
    public required string Status { get; set; }
    public string Region { get; set; } = "us-east-1";

    /// <summary>The subdomain of the return path (MAIL FROM), <c>send</c> unless chosen.</summary>
    public string ReturnPathSubdomain { get; set; } = "send";
    public string? DkimSelector { get; set; }
    public string? DkimPublicKey { get; set; }
    public string? DkimPrivateKeySealed { get; set; }
    public string? OwnershipToken { get; set; }
    public List<DomainRecord> Records { get; set; } = [];
    public bool OpenTracking { get; set; }
    public bool ClickTracking { get; set; }
    public string Tls { get; set; } = "opportunistic";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }

    /// <summary>When the background checker looks at it next (pending: soon and with backoff; verified: periodically).</summary>
    public DateTimeOffset? NextCheckAt { get; set; }

    public const string Verified = "verified";
    public const string Pending = "pending";
    public const string PartiallyVerified = "partially_verified";
    public const string Failed = "failed";
}

/// <summary>One DNS record to publish, and what the last check found (Resend's record shape, plus why it failed).</summary>
public sealed record DomainRecord(
    string Record,
    string Name,
    string Type,
    string Value,
    int? Priority,
    bool Required,
    string Status,
    string? Detail = null,
    string? AlternativeTo = null);

public static class RecordStatuses
{
    public const string NotStarted = "not_started";
    public const string Pending = "pending";
    public const string Verified = "verified";
    public const string Failed = "failed";
    public const string TemporaryFailure = "temporary_failure";
}
