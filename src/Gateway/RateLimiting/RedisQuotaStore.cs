using StackExchange.Redis;

namespace Send.Gateway.RateLimiting;

/// <summary>
/// The shared side of per-key quotas: one Lua script reads both windows of the sliding-window
/// counter and, if there is room, reserves up to the requested number of requests in the
/// current window — atomically, so replicas never race each other past a limit.
/// </summary>
public sealed class RedisQuotaStore(IConnectionMultiplexer redis)
{
    // Answers {granted, current count before, previous count}. LuaScript sends it once, then by SHA.
    private static readonly LuaScript Reserve = LuaScript.Prepare("""
        local cur = tonumber(redis.call('GET', @current) or '0')
        local prev = tonumber(redis.call('GET', @previous) or '0')
        local window = tonumber(@windowMs)
        local available = math.floor(tonumber(@limit) - (prev * (window - tonumber(@elapsedMs)) / window + cur))
        if available < 1 then
          return {0, cur, prev}
        end
        local granted = math.min(tonumber(@wanted), available)
        redis.call('INCRBY', @current, granted)
        redis.call('PEXPIRE', @current, window * 2)
        return {granted, cur, prev}
        """);

    public async Task<(long Granted, long Current, long Previous)> ReserveAsync(string keyId, int limit, long windowMs, long window, long elapsedMs, int wanted)
    {
        // The hash tag {keyId} keeps one key's windows in one Redis Cluster slot.
        var result = (RedisResult[])(await Reserve.EvaluateAsync(redis.GetDatabase(), new
        {
            current = (RedisKey)$"ratelimit:{{{keyId}}}:{window}",
            previous = (RedisKey)$"ratelimit:{{{keyId}}}:{window - 1}",
            limit,
            windowMs,
            elapsedMs,
            wanted,
        }))!;
        return ((long)result[0], (long)result[1], (long)result[2]);
    }
}
