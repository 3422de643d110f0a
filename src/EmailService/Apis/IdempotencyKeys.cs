using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.ServiceDefaults.Errors;

namespace Send.EmailService.Apis;

/// <summary>
/// Resend's <c>Idempotency-Key</c>: the same key and request within 24 hours get the first
/// answer and create nothing new; the same key with another request, or while the first is
/// still running, gets a 409. The key is claimed before the work and completed in the same
/// transaction as the work, so a crash in between leaves an in-flight claim that expires
/// (after <see cref="InFlightTimeout"/>), never a stored email without its key or the reverse.
/// </summary>
public sealed class IdempotencyKeys(EmailDbContext db, TimeProvider clock)
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxLength = 256;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    public static readonly TimeSpan InFlightTimeout = TimeSpan.FromMinutes(1);

    public sealed record Claim(string OrganizationId, string Key);

    /// <summary>
    /// Claims the key for this request. Returns the claim to complete, or the answer to give
    /// instead: the stored one (a replay) or a problem (409, or 422 for a malformed key).
    /// </summary>
    public async Task<(Claim? Claim, IResult? Answer)> ClaimAsync<TRequest>(string organizationId, string? key, TRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            return (null, null);
        }

        if (key.Length > MaxLength || key.Any(char.IsControl))
        {
            return (null, Problems.Validation(new Dictionary<string, string[]> { [HeaderName] = [$"At most {MaxLength} printable characters."] }));
        }

        var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var now = clock.GetUtcNow();
            var claimed = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO idempotency_keys (organization_id, key, request_hash, created_at) VALUES ({organizationId}, {key}, {hash}, {now})
                ON CONFLICT (organization_id, key) DO NOTHING
                """, cancellationToken);
            if (claimed == 1)
            {
                return (new Claim(organizationId, key), null);
            }

            var existing = await db.Set<IdempotencyKey>().AsNoTracking()
                .FirstOrDefaultAsync(k => k.OrganizationId == organizationId && k.Key == key, cancellationToken);
            if (existing is null || IsExpired(existing, now))
            {
                // Expired (or just released): forget it and claim again.
                await db.Set<IdempotencyKey>().Where(k => k.OrganizationId == organizationId && k.Key == key && k.CreatedAt == existing!.CreatedAt)
                    .ExecuteDeleteAsync(cancellationToken);
                continue;
            }

            if (existing.RequestHash != hash)
            {
                return (null, Problems.Of(StatusCodes.Status409Conflict, ProblemNames.InvalidIdempotentRequest,
                    "This Idempotency-Key was already used with a different request. Use a new key for a new request."));
            }

            if (existing.Response is null)
            {
                return (null, Problems.Of(StatusCodes.Status409Conflict, ProblemNames.ConcurrentIdempotentRequests,
                    "A request with this Idempotency-Key is still being processed. Retry after it finishes."));
            }

            return (null, Results.Text(existing.Response, "application/json", Encoding.UTF8, StatusCodes.Status200OK));
        }

        return (null, Problems.Of(StatusCodes.Status409Conflict, ProblemNames.ConcurrentIdempotentRequests,
            "A request with this Idempotency-Key is being processed. Retry after it finishes."));
    }

    /// <summary>Records the answer; call inside the transaction that stores the work.</summary>
    public Task CompleteAsync<TResponse>(Claim? claim, TResponse response, JsonSerializerOptions json, CancellationToken cancellationToken) =>
        claim is null
            ? Task.CompletedTask
            : db.Set<IdempotencyKey>().Where(k => k.OrganizationId == claim.OrganizationId && k.Key == claim.Key)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.Response, JsonSerializer.Serialize(response, json)), cancellationToken);

    /// <summary>Frees the key of a request that was refused, so a corrected request may use it.</summary>
    public Task ReleaseAsync(Claim? claim) =>
        claim is null
            ? Task.CompletedTask
            : db.Set<IdempotencyKey>().Where(k => k.OrganizationId == claim.OrganizationId && k.Key == claim.Key && k.Response == null)
                .ExecuteDeleteAsync(CancellationToken.None);

    private static bool IsExpired(IdempotencyKey key, DateTimeOffset now) =>
        key.CreatedAt < now - Retention || (key.Response is null && key.CreatedAt < now - InFlightTimeout);
}
