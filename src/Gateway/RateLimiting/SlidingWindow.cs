namespace Send.Gateway.RateLimiting;

/// <summary>
/// The sliding-window counter (two fixed windows, the previous one weighted by how much of it
/// still overlaps the sliding window): exact enough for quotas, O(1) memory per key. The same
/// arithmetic runs in Redis (<see cref="RedisRateLimiter"/>) and in memory (the fallback).
/// </summary>
public static class SlidingWindow
{
    public static RateLimitDecision Decide(long previousCount, long currentCount, int limit, long windowMs, long elapsedMs)
    {
        var used = previousCount * (windowMs - elapsedMs) / (double)windowMs + currentCount;
        var resetMs = windowMs - elapsedMs;
        if (used + 1 <= limit)
        {
            return new RateLimitDecision(true, limit, (int)Math.Max(0, Math.Floor(limit - used - 1)), Seconds(resetMs), 0);
        }

        // When the current window alone is not full, a slot frees as the previous window slides out.
        var retryMs = currentCount + 1 <= limit && previousCount > 0
            ? Math.Max(1, resetMs - (limit - 1 - currentCount) * windowMs / (double)previousCount)
            : resetMs;
        return new RateLimitDecision(false, limit, 0, Seconds(resetMs), Seconds(retryMs));
    }

    private static int Seconds(double ms) => (int)Math.Max(1, Math.Ceiling(ms / 1000));
}
