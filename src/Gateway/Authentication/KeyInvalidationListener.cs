using Send.BuildingBlocks.ApiKeys;
using StackExchange.Redis;

namespace Send.Gateway.Authentication;

/// <summary>
/// Listens for KeyService's announcements that a key changed (revoked, rotated, updated) and
/// drops it from this replica's memory, which is how a revocation takes effect on every
/// replica within a second rather than after the memory TTL.
/// </summary>
public sealed class KeyInvalidationListener(IConnectionMultiplexer redis, ApiKeyDirectory directory, ILogger<KeyInvalidationListener> logger) : IHostedService
{
    private readonly RedisChannel _channel = RedisChannel.Literal(ApiKeyCacheKeys.InvalidationChannel);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            await redis.GetSubscriber().SubscribeAsync(_channel, (_, prefix) => directory.Invalidate(prefix.ToString()));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // StackExchange.Redis re-subscribes by itself once Redis is reachable.
            logger.LogWarning("Key invalidations not subscribed yet: {Message}", ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        return Task.CompletedTask;
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        logger.LogInformation("Redis connection restored; forgetting cached keys in case an invalidation was missed");
        directory.InvalidateAll();
    }
}
