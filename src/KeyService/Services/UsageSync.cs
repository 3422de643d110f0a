using Send.BuildingBlocks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.ApiKeys;
using Send.KeyService.Data;
using StackExchange.Redis;

namespace Send.KeyService.Services;

/// <summary>
/// Drains per-key usage counted in Redis into PostgreSQL every few seconds, so
/// <c>last_used_at</c> and daily usage are kept without a database write per request.
/// Each key's counters are read and cleared atomically; if the database write then fails,
/// they are added back, so a failure delays counts but does not lose them. Safe with several
/// replicas: a key id is popped from the dirty set by exactly one of them.
/// </summary>
public sealed class UsageSync(IConnectionMultiplexer redis, IServiceScopeFactory scopes, IOptions<UsageOptions> options, ILogger<UsageSync> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private const string ReadAndClear = "local v = redis.call('HGETALL', KEYS[1]) redis.call('DEL', KEYS[1]) return v";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SyncInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DrainAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Usage sync skipped, Redis unavailable: {Message}", ex.Message);
            }
        }
    }

    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var redisDb = redis.GetDatabase();
        foreach (var keyId in await redisDb.SetPopAsync(ApiKeyCacheKeys.UsageDirtySet, BatchSize))
        {
            var raw = (RedisResult[])(await redisDb.ScriptEvaluateAsync(ReadAndClear, [ApiKeyCacheKeys.Usage(keyId!)]))!;
            var fields = Enumerable.Range(0, raw.Length / 2).ToDictionary(i => (string)raw[2 * i]!, i => (long)raw[2 * i + 1]);
            try
            {
                await StoreAsync(keyId!, fields, cancellationToken);
            }
            catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException)
            {
                logger.LogWarning("Usage of {Key} kept in Redis for the next round: {Message}", keyId, ex.Message);
                await RestoreAsync(redisDb, keyId!, fields);
            }
        }
    }

    private async Task StoreAsync(string keyId, Dictionary<string, long> fields, CancellationToken cancellationToken)
    {
        if (!fields.TryGetValue("last_used_ms", out var lastUsedMs))
        {
            return;
        }

        var lastUsed = DateTimeOffset.FromUnixTimeMilliseconds(lastUsedMs);
        var day = DateOnly.FromDateTime(lastUsed.UtcDateTime);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KeysDbContext>();
        await db.InTransactionAsync(async token =>
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE api_keys SET last_used_at = GREATEST(COALESCE(last_used_at, {lastUsed}), {lastUsed}) WHERE id = {keyId}", token);
            foreach (var (field, requests) in fields.Where(f => f.Key.StartsWith("service:", StringComparison.Ordinal)))
            {
                var service = field["service:".Length..];
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO api_key_usage (api_key_id, service, day, requests) VALUES ({keyId}, {service}, {day}, {requests})
                    ON CONFLICT (api_key_id, service, day) DO UPDATE SET requests = api_key_usage.requests + excluded.requests
                    """, token);
            }
        }, cancellationToken);
    }

    private static async Task RestoreAsync(IDatabase redisDb, string keyId, Dictionary<string, long> fields)
    {
        var usageKey = ApiKeyCacheKeys.Usage(keyId);
        foreach (var (field, value) in fields.Where(f => f.Key != "last_used_ms"))
        {
            await redisDb.HashIncrementAsync(usageKey, field, value);
        }

        if (fields.TryGetValue("last_used_ms", out var lastUsedMs))
        {
            await redisDb.HashSetAsync(usageKey, "last_used_ms", lastUsedMs);
        }

        await redisDb.SetAddAsync(ApiKeyCacheKeys.UsageDirtySet, keyId);
    }
}
