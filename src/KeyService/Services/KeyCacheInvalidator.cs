using Send.BuildingBlocks.ApiKeys;
using StackExchange.Redis;

namespace Send.KeyService.Services;

/// <summary>
/// After a key changes in the database, replaces its cache entries with tombstones and tells
/// every Gateway replica to forget it, so a revocation or rotation bites within a second.
/// If Redis is unreachable the change still stands; Gateways then see it when their
/// in-memory entry expires (30 s) — the database, not the cache, is the source of truth.
/// </summary>
public sealed class KeyCacheInvalidator(IConnectionMultiplexer redis, ILogger<KeyCacheInvalidator> logger)
{
    public async Task InvalidateAsync(params string?[] prefixes)
    {
        foreach (var prefix in prefixes.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            try
            {
                var db = redis.GetDatabase();
                await db.StringSetAsync(ApiKeyCacheKeys.Entry(prefix), ApiKeyCacheKeys.Tombstone, ApiKeyCacheKeys.TombstoneTtl);
                await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(ApiKeyCacheKeys.InvalidationChannel), prefix);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Could not invalidate the cache of key {Prefix}…: {Message}", prefix, ex.Message);
            }
        }
    }
}
