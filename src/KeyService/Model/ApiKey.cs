namespace Send.KeyService.Model;

/// <summary>
/// An API key as stored: only the SHA-256 of the token and its 16-character lookup prefix,
/// never the token itself (it is shown once, when created).
/// </summary>
public sealed class ApiKey
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string KeyPrefix { get; set; }
    public required string KeyHash { get; set; }
    public List<string> Permissions { get; set; } = [];
    public List<string> Services { get; set; } = [];
    public required string Environment { get; set; }
    public int RateLimitRequests { get; set; }
    public int RateLimitPeriodSeconds { get; set; }
    public string Status { get; set; } = ApiKeyStatus.Active;
    public List<string> AllowedCidrs { get; set; } = [];
    public string? DomainId { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>After a rotation the replaced secret keeps working until this grace period ends.</summary>
    public string? PreviousKeyPrefix { get; set; }
    public string? PreviousKeyHash { get; set; }
    public DateTimeOffset? PreviousKeyExpiresAt { get; set; }
}
