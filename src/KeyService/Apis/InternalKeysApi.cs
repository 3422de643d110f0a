using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.ApiKeys;
using Send.KeyService.Data;
using Send.KeyService.Model;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

namespace Send.KeyService.Apis;

/// <summary>
/// Routes only other Send services call: the Gateway resolves a presented key's prefix here.
/// They return hashes, so they refuse any caller that is not a service.
/// </summary>
public static class InternalKeysApi
{
    public static IEndpointRouteBuilder MapInternalKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/api-keys").ExcludeFromDescription();
        api.MapGet("/by-prefix/{prefix}", LookupByPrefix);
        return app;
    }

    public static async Task<Results<Ok<KeyCandidates>, ProblemHttpResult>> LookupByPrefix(
        string prefix, Caller caller, KeysDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!caller.IsService)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, ProblemNames.InvalidAccess, "Only Send services may look keys up.");
        }

        // A rotated key answers to its new prefix, and to its old one until the grace period ends.
        var now = clock.GetUtcNow();
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyPrefix == prefix || (k.PreviousKeyPrefix == prefix && k.PreviousKeyExpiresAt > now))
            .ToListAsync(cancellationToken);
        var candidates = keys.Select(k => k.KeyPrefix == prefix
                ? Candidate(k, k.KeyHash, k.ExpiresAt)
                : Candidate(k, k.PreviousKeyHash!, Earliest(k.ExpiresAt, k.PreviousKeyExpiresAt)))
            .ToList();
        return TypedResults.Ok(new KeyCandidates(candidates));
    }

    private static KeyCandidate Candidate(ApiKey k, string hash, DateTimeOffset? expiresAt) =>
        new(k.Id, k.OrganizationId, hash, k.Environment, k.Status, k.Permissions, k.Services, k.RateLimitRequests, k.RateLimitPeriodSeconds,
            k.AllowedCidrs, k.DomainId, expiresAt);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
