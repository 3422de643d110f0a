using System.Text.Json.Serialization;

namespace Send.KeyService.Apis;

/// <summary>Resend's list envelope: <c>{"object":"list","data":[…]}</c>.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeySummary> Data)
{
    [JsonPropertyName("object")] public string ObjectType => "list";
}

/// <summary>A key as listed: everything but its secret, which is never stored.</summary>
public sealed record ApiKeySummary(
    string Id,
    string Name,
    string Prefix,
    string Environment,
    string Status,
    IReadOnlyList<string> Permissions,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt);
