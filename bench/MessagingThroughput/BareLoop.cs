using System.Diagnostics;
using Send.BuildingBlocks.Redis;
using StackExchange.Redis;

namespace Send.Bench.MessagingThroughput;

/// <summary>
/// The baseline: what Redis Streams alone do on this machine. A publisher XADDs with the same
/// number of commands in flight as the transport's publisher; each consumer XREADGROUPs
/// (blocking, on its own connection) and acknowledges each batch in one XACK. No HTTP, no JSON,
/// no retries: the ceiling any transport on these streams lives under.
/// </summary>
public static class BareLoop
{
    public static async Task<double> RunAsync(string redisAddress, int consumers, int events, byte[] payload)
    {
        var stream = $"bare-{Guid.NewGuid():N}";
        // The client configured as the transport's (RedisSetup.Options: I/O on the thread pool), so
        // the ratio compares the work done, not two client configurations.
        await using var publisher = await ConnectionMultiplexer.ConnectAsync(RedisSetup.Options(redisAddress));
        var db = publisher.GetDatabase();
        await db.StreamCreateConsumerGroupAsync(stream, "bare", StreamPosition.Beginning, createStream: true);

        var received = 0;
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, consumers).Select(i => Task.Run(async () =>
        {
            var options = RedisSetup.Options(redisAddress);
            options.AsyncTimeout = 10_000;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            var reader = connection.GetDatabase();
            while (!stop.IsCancellationRequested)
            {
                var reply = await reader.ExecuteAsync("XREADGROUP", "GROUP", "bare", $"c{i}", "COUNT", 64, "BLOCK", 200, "STREAMS", stream, ">");
                if (reply.IsNull)
                {
                    continue;
                }

                var entries = (RedisResult[])((RedisResult[])((RedisResult[])reply!)[0]!)[1]!;
                var ids = entries.Select(e => (RedisValue)(string)((RedisResult[])e!)[0]!).ToArray();
                await db.StreamAcknowledgeAsync(stream, "bare", ids);
                if (Interlocked.Add(ref received, ids.Length) >= events)
                {
                    allReceived.TrySetResult();
                }
            }
        })).ToList();

        var clock = Stopwatch.StartNew();
        await Publishing.RunAsync(events, () => db.StreamAddAsync(stream, "data", payload));
        await allReceived.Task;
        var rate = events / clock.Elapsed.TotalSeconds;

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        await db.KeyDeleteAsync(stream);
        return rate;
    }
}
