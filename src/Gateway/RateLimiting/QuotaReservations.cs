using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Send.Gateway.RateLimiting;

/// <summary>
/// Per-key quotas shared by all Gateway replicas without a Redis round trip per request: a
/// replica reserves a small share of a key's quota at a time (2 % of the limit, 1 to 1,000
/// requests) and spends it from memory. Reserved requests are counted in Redis at once, so the
/// replicas together never exceed the limit; at worst a replica holds a few unused ones until
/// the window turns. Keys with small limits reserve one request at a time, which is exact.
/// If Redis fails, the replica falls back to its own in-memory window: limits then hold per
/// replica instead of globally — degraded, never unlimited, never down.
/// </summary>
public sealed class QuotaReservations(RedisQuotaStore store, LocalRateLimiter fallback, TimeProvider clock, ILogger<QuotaReservations> logger)
{
    private readonly ConcurrentDictionary<string, KeyQuota> _quotas = new(StringComparer.Ordinal);

    public static int ChunkFor(int limit) => Math.Clamp(limit / 50, 1, 1000);

    public async Task<RateLimitDecision> AcquireAsync(string keyId, int limit, int periodSeconds)
    {
        var windowMs = periodSeconds * 1000L;
        var quota = _quotas.GetOrAdd(keyId, _ => new KeyQuota());
        var nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (quota.TrySpend(nowMs / windowMs, limit, windowMs - nowMs % windowMs) is { } spent)
        {
            return spent;
        }

        // One reservation in flight per key and replica; the others wait and spend what it brought.
        await quota.Gate.WaitAsync();
        try
        {
            nowMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var window = nowMs / windowMs;
            var elapsed = nowMs - window * windowMs;
            if (quota.TrySpend(window, limit, windowMs - elapsed) is { } refilled)
            {
                return refilled;
            }

            var (granted, current, previous) = await store.ReserveAsync(keyId, limit, windowMs, window, elapsed, ChunkFor(limit));
            var decision = SlidingWindow.Decide(previous, current, limit, windowMs, elapsed);
            if (granted > 0)
            {
                quota.Refill(window, granted - 1, decision.Remaining);
            }

            return decision;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Rate limits fall back to this replica's memory: {Message}", ex.Message);
            return fallback.Acquire(keyId, limit, windowMs, nowMs);
        }
        finally
        {
            quota.Gate.Release();
        }
    }

    /// <summary>
    /// The tokens this replica holds for one key. Spending is lock-free (two interlocked
    /// decrements), since every request of a busy key passes here on every core.
    /// </summary>
    private sealed class KeyQuota
    {
        private long _window = -1;
        private long _tokens;
        private long _remaining;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public RateLimitDecision? TrySpend(long window, int limit, long resetMs)
        {
            if (Volatile.Read(ref _window) != window || Interlocked.Decrement(ref _tokens) < 0)
            {
                return null;
            }

            var remaining = Math.Max(0, Interlocked.Decrement(ref _remaining));
            return new RateLimitDecision(true, limit, (int)remaining, (int)Math.Max(1, Math.Ceiling(resetMs / 1000.0)), 0);
        }

        /// <summary>Called under <see cref="Gate"/>, so refills never interleave.</summary>
        public void Refill(long window, long tokens, int remaining)
        {
            Volatile.Write(ref _window, -1);
            Volatile.Write(ref _tokens, tokens);
            Volatile.Write(ref _remaining, remaining);
            Volatile.Write(ref _window, window);
        }
    }
}
