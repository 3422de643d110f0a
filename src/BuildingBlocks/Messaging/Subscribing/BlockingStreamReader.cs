using Send.BuildingBlocks.Redis;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// Reads a consumer group's new entries. A blocking <c>XREADGROUP … BLOCK</c> would stall every
/// other command on a shared multiplexer, so the reader owns a connection of its own; blocking
/// reads give the lowest latency with no polling.
/// </summary>
public sealed class BlockingStreamReader : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly string _group;
    private readonly string _consumer;

    private BlockingStreamReader(ConnectionMultiplexer connection, string group, string consumer)
    {
        _connection = connection;
        _group = group;
        _consumer = consumer;
    }

    public static async Task<BlockingStreamReader> ConnectAsync(string connectionString, string group, string consumer, TimeSpan block)
    {
        var options = RedisSetup.Options(connectionString);
        options.ClientName = consumer;
        // A blocked read legitimately takes up to the block time to answer.
        options.AsyncTimeout = (int)block.TotalMilliseconds + 5000;
        return new BlockingStreamReader(await ConnectionMultiplexer.ConnectAsync(options), group, consumer);
    }

    /// <summary>
    /// Up to <paramref name="count"/> new entries per stream; waits up to <paramref name="block"/>
    /// for the first one when given, returns at once otherwise.
    /// </summary>
    public async Task<IReadOnlyList<StreamMessage>> ReadAsync(IReadOnlyList<string> streams, int count, TimeSpan? block)
    {
        var args = new List<object>(8 + streams.Count * 2) { "GROUP", _group, _consumer, "COUNT", count };
        if (block is { } wait)
        {
            args.Add("BLOCK");
            args.Add((long)wait.TotalMilliseconds);
        }

        args.Add("STREAMS");
        args.AddRange(streams);
        args.AddRange(streams.Select(_ => (object)">"));
        var result = await _connection.GetDatabase().ExecuteAsync("XREADGROUP", args);
        return Parse(result);
    }

    /// <summary>Reply shape: <c>[[stream, [[id, [field, value, …]], …]], …]</c>, or nil when nothing came.</summary>
    private static List<StreamMessage> Parse(RedisResult result)
    {
        var messages = new List<StreamMessage>();
        if (result.IsNull)
        {
            return messages;
        }

        foreach (var streamReply in (RedisResult[])result!)
        {
            var parts = (RedisResult[])streamReply!;
            var stream = (string)parts[0]!;
            foreach (var entryReply in (RedisResult[])parts[1]!)
            {
                var entry = (RedisResult[])entryReply!;
                messages.Add(new StreamMessage(stream, (string)entry[0]!, DataField((RedisResult[]?)entry[1])));
            }
        }

        return messages;
    }

    private static ReadOnlyMemory<byte> DataField(RedisResult[]? fields)
    {
        for (var i = 0; fields is not null && i + 1 < fields.Length; i += 2)
        {
            if ((string?)fields[i] == "data")
            {
                return (byte[]?)fields[i + 1] ?? [];
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
