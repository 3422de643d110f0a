using System.Text.Json;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// The local adapter: one Redis stream per topic, the structured CloudEvent in the entry's
/// <c>data</c> field — the layout of Dapr's <c>pubsub.redis</c> component, so the same streams
/// could be read by a Dapr sidecar. Streams are capped (approximately) so they cannot grow
/// without bound; consumers acknowledge long before an entry is trimmed.
/// </summary>
public sealed class RedisStreamsPublisher(IConnectionMultiplexer redis) : IEventPublisher
{
    public const int MaxLength = 1_000_000;

    public async Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StreamAddAsync(cloudEvent.Topic, "data", JsonSerializer.SerializeToUtf8Bytes(cloudEvent),
            maxLength: MaxLength, useApproximateMaxLength: true);
}
