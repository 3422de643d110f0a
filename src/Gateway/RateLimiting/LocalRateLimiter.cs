using System.Collections.Concurrent;

namespace Send.Gateway.RateLimiting;

/// <summary>The in-memory sliding window a replica uses while Redis is unreachable.</summary>
public sealed class LocalRateLimiter
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    public RateLimitDecision Acquire(string keyId, int limit, long windowMs, long nowMs)
    {
        var counter = _counters.GetOrAdd(keyId, _ => new Counter());
        lock (counter)
        {
            var window = nowMs / windowMs;
            if (window != counter.Window)
            {
                counter.Previous = window == counter.Window + 1 ? counter.Current : 0;
                counter.Current = 0;
                counter.Window = window;
            }

            var decision = SlidingWindow.Decide(counter.Previous, counter.Current, limit, windowMs, nowMs - window * windowMs);
            if (decision.Allowed)
            {
                counter.Current++;
            }

            return decision;
        }
    }

    private sealed class Counter
    {
        public long Window { get; set; } = -1;
        public long Previous { get; set; }
        public long Current { get; set; }
    }
}
