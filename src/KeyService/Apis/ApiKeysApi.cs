using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Send.KeyService.Data;
using Send.KeyService.Model;
using Send.ServiceDefaults.Identity;

namespace Send.KeyService.Apis;

public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/api-keys").WithTags("API keys");
        api.MapGet("/", ListApiKeys).WithSummary("List the API keys of the caller's organization");
        return app;
    }

    public static async Task<Ok<ApiKeyList>> ListApiKeys(Caller caller, KeysDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.OrganizationId == caller.OrganizationId && k.DeletedAt == null)
            .OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.KeyPrefix, k.Environment, k.Status, k.Permissions, k.CreatedAt, k.LastUsedAt, k.ExpiresAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ApiKeyList(keys));
    }
}
