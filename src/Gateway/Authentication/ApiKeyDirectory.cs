using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Send.BuildingBlocks.ApiKeys;
using StackExchange.Redis;

namespace Send.Gateway.Authentication;

/// <summary>
/// Finds the keys behind a prefix: this replica's memory (30 s), then Redis shared by all
/// replicas (the seed's <c>apikey:{prefix}</c>, 5 min), then KeyService, the source of truth.
/// Unknown prefixes are cached too, so a flood of made-up keys does not reach KeyService.
/// Redis being down only costs speed: lookups go to KeyService.
/// </summary>
public sealed class ApiKeyDirectory(KeyServiceClient keyService, IConnectionMultiplexer redis, ILogger<ApiKeyDirectory> logger) : IDisposable
{
    public static readonly TimeSpan MemoryTtl = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    // Bumped on every invalidation of a prefix: an answer fetched before the bump is not kept,
    // so a lookup racing a revocation cannot put the revoked key back into memory.
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    // Lookups in flight, so a burst of requests for one key that missed memory makes one lookup
    // (no stampede on Redis and KeyService when an entry expires under load).
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<KeyCandidate>>>> _inFlight = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<KeyCandidate>> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        if (_memory.TryGetValue(prefix, out IReadOnlyList<KeyCandidate>? remembered) && remembered is not null)
        {
            return remembered;
        }

        var lookup = _inFlight.GetOrAdd(prefix, p => new Lazy<Task<IReadOnlyList<KeyCandidate>>>(() => LookUpAsync(p)));
        var task = lookup.Value;
        // Removes exactly this lookup once done (an invalidation may already have replaced it).
        _ = task.ContinueWith(_ => _inFlight.TryRemove(KeyValuePair.Create(prefix, lookup)), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        // The shared lookup is not tied to one request: one caller giving up must not fail the others.
        return await task.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<KeyCandidate>> LookUpAsync(string prefix)
    {
        var generation = _generations.GetValueOrDefault(prefix);
        var (shared, mayShare) = await ReadSharedAsync(prefix);
        var candidates = shared ?? await keyService.FindByPrefixAsync(prefix, CancellationToken.None);
        if (shared is null && mayShare)
        {
            await WriteSharedAsync(prefix, candidates);
        }

        if (_generations.GetValueOrDefault(prefix) == generation)
        {
            _memory.Set(prefix, candidates, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = MemoryTtl });
        }

        return candidates;
    }

    /// <summary>Forgets a prefix at once (KeyService announced a change to its key).</summary>
    public void Invalidate(string prefix)
    {
        _generations.AddOrUpdate(prefix, 1, (_, g) => g + 1);
        // A lookup that began before the change must not serve requests that arrive after it.
        _inFlight.TryRemove(prefix, out _);
        _memory.Remove(prefix);
    }

    /// <summary>Forgets everything: after a lost Redis connection, announcements may have been missed.</summary>
    public void InvalidateAll()
    {
        foreach (var prefix in _generations.Keys)
        {
            _generations.AddOrUpdate(prefix, 1, (_, g) => g + 1);
        }

        _inFlight.Clear();
        _memory.Clear();
    }

    public void Dispose() => _memory.Dispose();

    /// <returns>The shared entry if any, and whether this replica may write one (not while a tombstone stands).</returns>
    private async Task<(IReadOnlyList<KeyCandidate>? Candidates, bool MayShare)> ReadSharedAsync(string prefix)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(ApiKeyCacheKeys.Entry(prefix));
            if (value.IsNullOrEmpty)
            {
                return (null, true);
            }

            return value == ApiKeyCacheKeys.Tombstone
                ? (null, false)
                : (JsonSerializer.Deserialize<KeyCandidates>(value.ToString(), GatewayJson.Options)?.Keys, false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            logger.LogDebug("Key cache unavailable, asking KeyService: {Message}", ex.Message);
            return (null, false);
        }
    }

    private async Task WriteSharedAsync(string prefix, IReadOnlyList<KeyCandidate> candidates)
    {
        try
        {
            // NX: never overwrite, in particular not a tombstone written after our lookup began.
            await redis.GetDatabase().StringSetAsync(ApiKeyCacheKeys.Entry(prefix),
                JsonSerializer.Serialize(new KeyCandidates(candidates), GatewayJson.Options), ApiKeyCacheKeys.EntryTtl, When.NotExists);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogDebug("Could not share key cache entry: {Message}", ex.Message);
        }
    }
}
