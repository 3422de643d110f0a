using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.ApiKeys;
using Send.KeyService.Data;
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
        string prefix, Caller caller, KeysDbContext db, CancellationToken cancellationToken)
    {
        if (!caller.IsService)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, ProblemNames.InvalidAccess, "Only Send services may look keys up.");
        }

        var candidates = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyPrefix == prefix && k.DeletedAt == null)
            .Select(k => new KeyCandidate(k.Id, k.OrganizationId, k.KeyHash, k.Environment, k.Status, k.Permissions,
                k.RateLimitRequests, k.RateLimitPeriodSeconds, k.AllowedCidrs, k.DomainId, k.ExpiresAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new KeyCandidates(candidates));
    }
}
