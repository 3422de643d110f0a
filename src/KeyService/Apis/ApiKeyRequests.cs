namespace Send.KeyService.Apis;

/// <summary>
/// <c>POST /v1/api-keys</c>: Resend's <c>name</c>, <c>permission</c> and <c>domain_id</c>, plus
/// the seed's fields. Either a preset (<c>permission</c>) or explicit <c>permissions</c>.
/// </summary>
public sealed record CreateApiKeyRequest(
    string? Name,
    string? Permission,
    IReadOnlyList<string>? Permissions,
    string? Environment,
    IReadOnlyList<string>? Services,
    RateLimitSetting? RateLimit,
    IReadOnlyList<string>? AllowedCidrs,
    string? DomainId,
    DateTimeOffset? ExpiresAt);

/// <summary><c>PATCH /v1/api-keys/{id}</c>: absent fields stay as they are.</summary>
public sealed record UpdateApiKeyRequest(
    string? Name,
    string? Permission,
    IReadOnlyList<string>? Permissions,
    RateLimitSetting? RateLimit,
    IReadOnlyList<string>? AllowedCidrs,
    string? DomainId,
    DateTimeOffset? ExpiresAt);

/// <summary><c>POST /v1/api-keys/{id}/rotate</c>: how long the old secret keeps working (default 24 h).</summary>
public sealed record RotateApiKeyRequest(int? GracePeriodSeconds);

public sealed record RateLimitSetting(int Requests, int Period);
