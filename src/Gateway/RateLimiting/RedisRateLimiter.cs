using Send.BuildingBlocks.ApiKeys;
using StackExchange.Redis;

namespace Send.Gateway.RateLimiting;

/// <summary>
/// Per-key quota shared by every Gateway replica: one Lua script reads both windows, decides,
/// counts the request and records usage, atomically and in one round trip (no read-then-write
/// race between replicas). If Redis fails, the replica falls back to its own in-memory window:
/// limits then hold per replica instead of globally — degraded, never unlimited, never down.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, LocalRateLimiter fallback, TimeProvider clock, ILogger<RedisRateLimiter> logger)
{
    // Keys: current window, previous window, usage hash, set of keys with unsynced usage.
    // Argv: limit, window ms, elapsed ms in the current window, service, key id.
    private const string Script = """
        local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
        local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local elapsed = tonumber(ARGV[3])
        if prev * (window - elapsed) / window + cur + 1 > limit then
          return {0, cur, prev}
        end
        redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], window * 2)
        redis.call('HINCRBY', KEYS[3], 'requests', 1)
        redis.call('HINCRBY', KEYS[3], 'service:' .. ARGV[4], 1)
        redis.call('HSET', KEYS[3], 'last_used_ms', ARGV[6])
        redis.call('SADD', KEYS[4], ARGV[5])
        return {1, cur, prev}
        """;

    public async Task<RateLimitDecision> AcquireAsync(string keyId, int limit, int periodSeconds, string service)
    {
        var windowMs = periodSeconds * 1000L;
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var window = nowMs / windowMs;
        var elapsed = nowMs - window * windowMs;
        try
        {
            // The hash tag {keyId} keeps one key's windows and usage in one cluster slot.
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
                [$"ratelimit:{{{keyId}}}:{window}", $"ratelimit:{{{keyId}}}:{window - 1}", ApiKeyCacheKeys.Usage(keyId), ApiKeyCacheKeys.UsageDirtySet],
                [limit, windowMs, elapsed, service, keyId, nowMs]))!;
            // The script answered with the counts it saw before counting this request.
            return SlidingWindow.Decide((long)result[2], (long)result[1], limit, windowMs, elapsed);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Rate limits fall back to this replica's memory: {Message}", ex.Message);
            return fallback.Acquire(keyId, limit, windowMs, nowMs);
        }
    }
}
