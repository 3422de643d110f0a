using System.Diagnostics;
using Send.TestSupport;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Tests.Transport;

/// <summary>
/// The local Redis Streams transport between real processes: a publisher's outbox, the relay,
/// the streams, the subscriber's HTTP delivery under Dapr's contract, and the consumer's inbox.
/// </summary>
public sealed class LocalTransportTests(ProbeCluster cluster) : IClassFixture<ProbeCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Events_published_by_one_process_reach_the_handler_of_another_in_the_publishers_trace_once_each()
    {
        var publisherDb = await cluster.NewDatabaseAsync();
        var consumerDb = await cluster.NewDatabaseAsync();
        var publisher = await cluster.StartProbeAsync("roundtrip-pub", publisherDb, new Dictionary<string, string?> { ["Probe__Subscribe"] = "false" });
        var consumer = await cluster.StartProbeAsync("roundtrip", consumerDb, new Dictionary<string, string?> { ["Probe__Instance"] = "consumer" });
        var trace = ActivityTraceId.CreateRandom();

        var ids = await cluster.PublishAsync(publisher,
            new { events = Enumerable.Range(1, 20).Select(i => new { behaviour = "succeed", sequence = i }) },
            traceParent: $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        var effects = await Eventually.Until(() => ProbeCluster.EffectsAsync(consumerDb), e => e.Count == 20, Patience, "all 20 effects");
        Assert.Equal(ids.Order(), effects.Select(e => e.EventId).Order());
        Assert.All(effects, e => Assert.Equal("consumer", e.Instance));
        var deliveries = await ProbeCluster.DeliveriesAsync(consumerDb);
        Assert.All(deliveries, d => Assert.Equal(trace.ToString(), d.TraceId));

        // A duplicate in the stream (a relay that crashed before marking, a replay) is delivered
        // again but absorbed by the consumer's inbox.
        var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var first = (await redis.GetDatabase().StreamRangeAsync("probe", count: 1))[0];
        await redis.GetDatabase().StreamAddAsync("probe", first.Values);
        await Eventually.Until(() => ProbeCluster.DeliveriesAsync(consumerDb), d => d.Count == 21, Patience, "the duplicate's delivery");
        Assert.Equal(20, (await ProbeCluster.EffectsAsync(consumerDb)).Count);
        Assert.False(consumer.HasExited);
    }
}
