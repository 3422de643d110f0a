using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// Settles messages in a consumer group: acknowledgements are batched (one XACK per stream for
/// everything finished since the last flush), and a dead-lettered message is added to its
/// dead-letter stream and acknowledged in one MULTI, so it is never in both places or neither.
/// An acknowledgement lost in a crash only means a redelivery, which consumers absorb.
/// </summary>
public sealed class StreamSettlement(IConnectionMultiplexer redis, string group, ILogger logger)
{
    // One entry per settled delivery, not per message: a bulk delivery of a hundred messages
    // takes the channel's lock once.
    private readonly Channel<(string Stream, RedisValue[] Ids)> _acks = Channel.CreateUnbounded<(string, RedisValue[])>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues the acknowledgement of <paramref name="messages"/>, all of one stream.</summary>
    public void Acknowledge(IReadOnlyList<StreamMessage> messages)
    {
        if (messages.Count > 0)
        {
            _acks.Writer.TryWrite((messages[0].Stream, [.. messages.Select(m => (RedisValue)m.Id)]));
        }
    }

    /// <summary>Flushes acknowledgements until <see cref="Complete"/> is called and all are written.</summary>
    public async Task RunAsync()
    {
        var batch = new List<(string Stream, RedisValue[] Ids)>();
        while (await _acks.Reader.WaitToReadAsync())
        {
            while (_acks.Reader.TryRead(out var ack))
            {
                batch.Add(ack);
            }

            foreach (var stream in batch.GroupBy(ack => ack.Stream))
            {
                try
                {
                    await redis.GetDatabase().StreamAcknowledgeAsync(stream.Key, group, [.. stream.SelectMany(ack => ack.Ids)]);
                }
                catch (RedisException ex)
                {
                    logger.LogWarning("Could not acknowledge {Count} messages on {Stream}; they will be redelivered: {Message}",
                        stream.Sum(ack => ack.Ids.Length), stream.Key, ex.Message);
                }
            }

            batch.Clear();
        }
    }

    public void Complete() => _acks.Writer.TryComplete();

    /// <summary>
    /// Moves a message to <paramref name="deadLetterTopic"/> with why and after how many attempts
    /// (as CloudEvent extension attributes), and acknowledges it, atomically.
    /// </summary>
    public async Task DeadLetterAsync(StreamMessage message, string deadLetterTopic, string appId, string reason, int attempts)
    {
        var envelope = JsonNode.Parse(message.Envelope.Span) as JsonObject ?? [];
        envelope["deadletterreason"] = reason;
        envelope["deadletterattempts"] = attempts;
        envelope["deadletterapp"] = appId;

        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.StreamAddAsync(deadLetterTopic, "data", envelope.ToJsonString(),
            maxLength: RedisStreamsPublisher.MaxLength, useApproximateMaxLength: true);
        _ = transaction.StreamAcknowledgeAsync(message.Stream, group, message.Id);
        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException($"Dead-lettering {message.Id} from {message.Stream} did not commit.");
        }
    }

    /// <summary>
    /// Resets the message's idle time while it waits between attempts, so other consumers do not
    /// mistake a message in backoff for one abandoned by a crash.
    /// </summary>
    public Task KeepClaimAsync(IReadOnlyList<StreamMessage> messages, string consumer) =>
        redis.GetDatabase().StreamClaimIdsOnlyAsync(messages[0].Stream, group, consumer, 0, messages.Select(m => (RedisValue)m.Id).ToArray());
}
