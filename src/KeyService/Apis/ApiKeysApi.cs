using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks;
using Send.BuildingBlocks.ApiKeys;
using Send.BuildingBlocks.Paging;
using Send.KeyService.Data;
using Send.KeyService.Model;
using Send.KeyService.Services;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

namespace Send.KeyService.Apis;

/// <summary>
/// <c>/v1/api-keys</c>: every key of the caller's organization and only those. A key of another
/// organization answers 404, exactly like a key that does not exist.
/// </summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/api-keys").WithTags("API keys");
        api.MapGet("/", ListApiKeys).WithSummary("List API keys, newest first");
        api.MapPost("/", CreateApiKey).WithSummary("Create an API key (its token is shown only in this answer)");
        api.MapGet("/{id}", GetApiKey).WithSummary("Retrieve an API key");
        api.MapPatch("/{id}", UpdateApiKey).WithSummary("Update an API key's name, permissions, limits or expiry");
        api.MapDelete("/{id}", RevokeApiKey).WithSummary("Revoke an API key");
        api.MapGet("/{id}/usage", GetUsage).WithSummary("Requests made with an API key, per service and day");
        api.MapPost("/{id}/rotate", RotateApiKey).WithSummary("Issue a new secret; the old one works for a grace period");
        return app;
    }

    public static async Task<Results<Ok<CursorPage<ApiKeyView>>, ProblemHttpResult>> ListApiKeys(
        Caller caller, KeysDbContext db, [FromQuery] int? limit, [FromQuery] string? after, [FromQuery] string? before, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        var keys = db.ApiKeys.AsNoTracking().Where(k => k.OrganizationId == caller.OrganizationId);
        return TypedResults.Ok(await keys.ToCursorPageAsync(page, k => k.Id, ApiKeyView.From, cancellationToken));
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> GetApiKey(string id, Caller caller, KeysDbContext db, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id && k.OrganizationId == caller.OrganizationId, cancellationToken);
        return key is null ? NotFound(id) : TypedResults.Ok(ApiKeyView.From(key));
    }

    public static async Task<Results<Created<ApiKeyView>, ProblemHttpResult>> CreateApiKey(
        CreateApiKeyRequest? request, Caller caller, KeysDbContext db, TimeProvider clock, KeyCacheInvalidator cache, HttpContext http, CancellationToken cancellationToken)
    {
        request ??= new CreateApiKeyRequest(null, null, null, null, null, null, null, null, null);
        var rules = new ApiKeyRules(clock);
        var name = rules.Name(request.Name, required: true);
        var permissions = rules.Permissions(request.Permission, request.Permissions, caller, required: true);
        var environment = rules.Environment(request.Environment, caller);
        var services = rules.Services(request.Services);
        rules.RateLimit(request.RateLimit);
        var cidrs = rules.Cidrs(request.AllowedCidrs);
        rules.DomainId(request.DomainId);
        rules.ExpiresAt(request.ExpiresAt);
        if (!rules.IsValid)
        {
            return Problems.Validation(rules.Errors);
        }

        var now = clock.GetUtcNow();
        var token = ApiKeyToken.Generate(environment);
        var key = new ApiKey
        {
            Id = Ids.New("key"),
            OrganizationId = caller.RequiredOrganizationId,
            Name = name!,
            KeyPrefix = token[..ApiKeyToken.PrefixLength],
            KeyHash = ApiKeyToken.Hash(token),
            Permissions = permissions!,
            Services = services,
            Environment = environment,
            RateLimitRequests = request.RateLimit?.Requests ?? ApiKeyDefaults.RateLimitRequests,
            RateLimitPeriodSeconds = request.RateLimit?.Period ?? ApiKeyDefaults.RateLimitPeriodSeconds,
            AllowedCidrs = cidrs ?? [],
            DomainId = request.DomainId,
            ExpiresAt = request.ExpiresAt,
            CreatedAt = now,
        };
        db.ApiKeys.Add(key);
        AuditLog.Record(db, http, caller, "api_key.created", key.Id, now);
        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync(key.KeyPrefix);
        return TypedResults.Created($"/v1/api-keys/{key.Id}", ApiKeyView.From(key) with { Token = token });
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> UpdateApiKey(
        string id, UpdateApiKeyRequest? request, Caller caller, KeysDbContext db, TimeProvider clock, KeyCacheInvalidator cache, HttpContext http, CancellationToken cancellationToken)
    {
        var key = await FindActiveAsync(db, id, caller, cancellationToken);
        if (key is null)
        {
            return NotFound(id);
        }

        request ??= new UpdateApiKeyRequest(null, null, null, null, null, null, null);
        var rules = new ApiKeyRules(clock);
        var name = rules.Name(request.Name, required: false);
        var permissions = rules.Permissions(request.Permission, request.Permissions, caller, required: false);
        rules.RateLimit(request.RateLimit);
        var cidrs = rules.Cidrs(request.AllowedCidrs);
        rules.DomainId(request.DomainId);
        rules.ExpiresAt(request.ExpiresAt);
        if (!rules.IsValid)
        {
            return Problems.Validation(rules.Errors);
        }

        key.Name = name ?? key.Name;
        key.Permissions = permissions ?? key.Permissions;
        key.RateLimitRequests = request.RateLimit?.Requests ?? key.RateLimitRequests;
        key.RateLimitPeriodSeconds = request.RateLimit?.Period ?? key.RateLimitPeriodSeconds;
        key.AllowedCidrs = cidrs ?? key.AllowedCidrs;
        key.DomainId = request.DomainId ?? key.DomainId;
        key.ExpiresAt = request.ExpiresAt ?? key.ExpiresAt;
        AuditLog.Record(db, http, caller, "api_key.updated", key.Id, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync(key.KeyPrefix, key.PreviousKeyPrefix);
        return TypedResults.Ok(ApiKeyView.From(key));
    }

    public static async Task<Results<Ok<DeletedApiKey>, ProblemHttpResult>> RevokeApiKey(
        string id, Caller caller, KeysDbContext db, TimeProvider clock, KeyCacheInvalidator cache, HttpContext http, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.OrganizationId == caller.OrganizationId, cancellationToken);
        if (key is null)
        {
            return NotFound(id);
        }

        if (key.Status != ApiKeyStatus.Revoked)
        {
            var now = clock.GetUtcNow();
            var previousPrefix = key.PreviousKeyPrefix;
            key.Status = ApiKeyStatus.Revoked;
            key.DeletedAt = now;
            key.PreviousKeyPrefix = null;
            key.PreviousKeyHash = null;
            key.PreviousKeyExpiresAt = null;
            AuditLog.Record(db, http, caller, "api_key.revoked", key.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            await cache.InvalidateAsync(key.KeyPrefix, previousPrefix);
        }

        return TypedResults.Ok(new DeletedApiKey(key.Id));
    }

    public static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> RotateApiKey(
        string id, RotateApiKeyRequest? request, Caller caller, KeysDbContext db, TimeProvider clock, KeyCacheInvalidator cache, HttpContext http, CancellationToken cancellationToken)
    {
        var key = await FindActiveAsync(db, id, caller, cancellationToken);
        if (key is null)
        {
            return NotFound(id);
        }

        var rules = new ApiKeyRules(clock);
        var grace = rules.GracePeriod(request?.GracePeriodSeconds);
        if (!rules.IsValid)
        {
            return Problems.Validation(rules.Errors);
        }

        var now = clock.GetUtcNow();
        var token = ApiKeyToken.Generate(key.Environment);
        var replacedPrefixes = new[] { key.KeyPrefix, key.PreviousKeyPrefix };
        (key.PreviousKeyPrefix, key.PreviousKeyHash, key.PreviousKeyExpiresAt) = grace > 0
            ? (key.KeyPrefix, key.KeyHash, now.AddSeconds(grace))
            : ((string?)null, (string?)null, (DateTimeOffset?)null);
        key.KeyPrefix = token[..ApiKeyToken.PrefixLength];
        key.KeyHash = ApiKeyToken.Hash(token);
        AuditLog.Record(db, http, caller, "api_key.rotated", key.Id, now);
        await db.SaveChangesAsync(cancellationToken);
        await cache.InvalidateAsync([.. replacedPrefixes, key.KeyPrefix]);
        return TypedResults.Ok(ApiKeyView.From(key) with { Token = token, PreviousTokenExpiresAt = key.PreviousKeyExpiresAt });
    }

    public static async Task<Results<Ok<ApiKeyUsageList>, ProblemHttpResult>> GetUsage(string id, Caller caller, KeysDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.ApiKeys.AnyAsync(k => k.Id == id && k.OrganizationId == caller.OrganizationId, cancellationToken))
        {
            return NotFound(id);
        }

        var usage = await db.Usage.AsNoTracking().Where(u => u.ApiKeyId == id)
            .OrderByDescending(u => u.Day).ThenBy(u => u.Service).Take(400)
            .Select(u => new ApiKeyUsageDay(u.Day, u.Service, u.Requests))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new ApiKeyUsageList(id, usage));
    }

    private static Task<ApiKey?> FindActiveAsync(KeysDbContext db, string id, Caller caller, CancellationToken cancellationToken) =>
        db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.OrganizationId == caller.OrganizationId && k.Status == ApiKeyStatus.Active, cancellationToken);

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"API key '{id}' was not found.");
}
