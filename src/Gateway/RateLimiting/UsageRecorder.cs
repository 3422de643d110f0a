using System.Collections.Concurrent;
using Send.BuildingBlocks.ApiKeys;
using StackExchange.Redis;

namespace Send.Gateway.RateLimiting;

/// <summary>
/// Counts requests per key in memory and adds them to Redis once a second in one pipeline,
/// where KeyService drains them into PostgreSQL. Counting is off the request path; if Redis is
/// down the counts wait in memory for the next flush. A replica that is killed loses at most
/// its last second of counts — usage is a report, not a quota (quotas are counted at once).
/// </summary>
public sealed class UsageRecorder(IConnectionMultiplexer redis, TimeProvider clock, ILogger<UsageRecorder> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private ConcurrentDictionary<(string KeyId, string Service), Counter> _pending = new();

    public void Record(string keyId, string service)
    {
        var counter = _pending.GetOrAdd((keyId, service), _ => new Counter());
        Interlocked.Increment(ref counter.Requests);
        // A plain write: concurrent requests race only over which of two near-equal times wins.
        Volatile.Write(ref counter.LastUsedMs, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last counts go out below.
        }

        await FlushAsync();
    }

    private async Task FlushAsync()
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<(string, string), Counter>());
        try
        {
            var db = redis.GetDatabase();
            var writes = new List<Task>();
            foreach (var ((keyId, service), counter) in batch)
            {
                var usage = ApiKeyCacheKeys.Usage(keyId);
                writes.Add(db.HashIncrementAsync(usage, "requests", counter.Requests));
                writes.Add(db.HashIncrementAsync(usage, $"service:{service}", counter.Requests));
                writes.Add(db.HashSetAsync(usage, "last_used_ms", counter.LastUsedMs));
                writes.Add(db.SetAddAsync(ApiKeyCacheKeys.UsageDirtySet, keyId));
            }

            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Usage kept in memory until Redis answers: {Message}", ex.Message);
            foreach (var (key, counter) in batch)
            {
                var merged = _pending.GetOrAdd(key, _ => new Counter());
                Interlocked.Add(ref merged.Requests, counter.Requests);
                Interlocked.Exchange(ref merged.LastUsedMs, Math.Max(merged.LastUsedMs, counter.LastUsedMs));
            }
        }
    }

    private sealed class Counter
    {
        public long Requests;
        public long LastUsedMs;
    }
}
