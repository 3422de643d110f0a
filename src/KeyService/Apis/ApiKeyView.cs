using System.Text.Json.Serialization;
using Send.KeyService.Model;

namespace Send.KeyService.Apis;

/// <summary>
/// A key as the API shows it. <c>token</c> is present only in the answers that create a secret
/// (create and rotate): it is not stored, so it can never be shown again.
/// </summary>
public sealed record ApiKeyView(
    string Id,
    string Name,
    string Prefix,
    string Environment,
    string Status,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> Services,
    RateLimitSetting RateLimit,
    IReadOnlyList<string> AllowedCidrs,
    string? DomainId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt)
{
    [JsonPropertyName("object")] public string ObjectType => "api_key";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PreviousTokenExpiresAt { get; init; }

    public static ApiKeyView From(ApiKey key) => new(
        key.Id, key.Name, key.KeyPrefix, key.Environment, key.Status, key.Permissions, key.Services,
        new RateLimitSetting(key.RateLimitRequests, key.RateLimitPeriodSeconds), key.AllowedCidrs, key.DomainId,
        key.CreatedAt, key.LastUsedAt, key.ExpiresAt, key.DeletedAt);
}

/// <summary>The answer to DELETE: a JSON body, since Resend's SDK rejects an empty 2xx.</summary>
public sealed record DeletedApiKey(string Id)
{
    [JsonPropertyName("object")] public string ObjectType => "api_key";

    public bool Deleted => true;
}
