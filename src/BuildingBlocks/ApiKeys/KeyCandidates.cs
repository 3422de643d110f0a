namespace Send.BuildingBlocks.ApiKeys;

/// <summary>
/// KeyService's answer to "which keys have this prefix?": every live key sharing it, hash
/// included, for the Gateway to pick the one whose hash matches. One contract for both sides.
/// </summary>
public sealed record KeyCandidates(IReadOnlyList<KeyCandidate> Keys);

public sealed record KeyCandidate(
    string Id,
    string OrganizationId,
    string KeyHash,
    string Environment,
    string Status,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> Services,
    int RateLimitRequests,
    int RateLimitPeriodSeconds,
    IReadOnlyList<string> AllowedCidrs,
    string? DomainId,
    DateTimeOffset? ExpiresAt)
{
    public const string ActiveStatus = "active";
}
