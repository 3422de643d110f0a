using System.Diagnostics;
using Send.TestSupport;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Tests.Transport;

/// <summary>
/// The local Redis Streams transport between real processes: a publisher's outbox, the relay,
/// the streams, the subscriber's HTTP delivery under Dapr's contract, and the consumer's inbox.
/// </summary>
public sealed class LocalTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // A cluster (and so a Redis) per test: a new consumer group starts at the beginning of its
    // streams, so tests sharing streams would see each other's events.
    private readonly ProbeCluster cluster = new();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

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

    [Fact]
    public async Task A_handler_answering_RETRY_twice_runs_three_times_with_growing_delays()
    {
        var db = await cluster.NewDatabaseAsync();
        var probe = await cluster.StartProbeAsync("retrying", db, new Dictionary<string, string?> { ["Messaging__Delivery__InitialBackoff"] = "00:00:00.500" });

        var id = (await cluster.PublishAsync(probe, new { events = new[] { new { behaviour = "retry-twice", sequence = 1 } } })).Single();

        await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count == 1, Patience, "the effect after two retries");
        var deliveries = (await ProbeCluster.DeliveriesAsync(db)).Where(d => d.EventId == id).ToList();
        Assert.Equal(3, deliveries.Count);
        // Backoff doubles from 500 ms: at least 0.5 s before the second try, 1 s before the third.
        Assert.True(deliveries[1].At - deliveries[0].At >= TimeSpan.FromMilliseconds(450), $"{deliveries[1].At - deliveries[0].At}");
        Assert.True(deliveries[2].At - deliveries[1].At >= TimeSpan.FromMilliseconds(950), $"{deliveries[2].At - deliveries[1].At}");
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_dead_lettered_after_its_attempts_and_a_replay_brings_it_back()
    {
        var db = await cluster.NewDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["Messaging__Delivery__MaxAttempts"] = "3" };
        var probe = await cluster.StartProbeAsync("deadletters", db, settings);

        // Fails its first three deliveries: all three attempts of the first round.
        var ids = await cluster.PublishAsync(probe, new
        {
            events = new object[] { new { behaviour = "fail", sequence = 1, failures = 3 }, new { behaviour = "drop", sequence = 2 } },
        });
        var (failing, dropped) = (ids[0], ids[1]);

        var letters = await Eventually.Until(() => ProbeCluster.DeadLettersAsync(db), l => l.Count == 1, Patience, "the dead letter");
        Assert.Equal(failing, letters[0].EventId);
        Assert.Equal("probe", letters[0].Topic);
        Assert.Contains("500", letters[0].Reason, StringComparison.Ordinal);
        Assert.Equal(3, (await ProbeCluster.DeliveriesAsync(db)).Count(d => d.EventId == failing));
        Assert.Empty(await ProbeCluster.EffectsAsync(db));
        // DROP is a handler's decision: acknowledged once, never dead-lettered.
        Assert.Single(await ProbeCluster.DeliveriesAsync(db), d => d.EventId == dropped);

        var listed = await RunProbeCommandAsync(db, "dead-letters", "list");
        Assert.Contains(failing, listed, StringComparison.Ordinal);
        var replayed = await RunProbeCommandAsync(db, "dead-letters", "replay", failing);
        Assert.Contains($"replayed {failing} to probe", replayed, StringComparison.Ordinal);

        var effects = await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count == 1, Patience, "the replayed message's effect");
        Assert.Equal(failing, effects[0].EventId);
        Assert.True((await ProbeCluster.DeadLettersAsync(db)).Single().Replayed);
        Assert.DoesNotContain(failing, await RunProbeCommandAsync(db, "dead-letters", "list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_killed_in_the_middle_of_a_handler_loses_nothing_another_consumer_takes_the_message_over()
    {
        var db = await cluster.NewDatabaseAsync();
        var victim = await cluster.StartProbeAsync("crashing", db, new Dictionary<string, string?>
        {
            ["Probe__Hang"] = "true",
            ["Probe__Instance"] = "victim",
        });
        var ids = await cluster.PublishAsync(victim, new
        {
            events = new object[] { new { behaviour = "hang", sequence = 1 }, new { behaviour = "succeed", sequence = 2 } },
        });
        await Eventually.Until(() => ProbeCluster.DeliveriesAsync(db), d => d.Any(x => x.EventId == ids[0]), Patience, "the handler to start");

        victim.Kill(); // SIGKILL: no graceful shutdown, no acknowledgement

        await cluster.StartProbeAsync("crashing", db, new Dictionary<string, string?>
        {
            ["Probe__Instance"] = "survivor",
            // Short enough to take the victim's message over soon, long enough that a handler slowed
            // by a loaded CI machine is not timed out and delivered a second time (at-least-once
            // would allow that; this test counts deliveries). 1 s / 3 s once gave a second one.
            ["Messaging__Delivery__Timeout"] = "00:00:04",
            ["Messaging__Delivery__ProcessingTimeout"] = "00:00:06",
        });
        var effects = await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count == 2, Patience, "both effects");
        Assert.Equal("survivor", effects.Single(e => e.EventId == ids[0]).Instance);
        var deliveries = (await ProbeCluster.DeliveriesAsync(db)).Where(d => d.EventId == ids[0]).Select(d => d.Instance).ToList();
        Assert.Equal(["victim", "survivor"], deliveries);
    }

    [Fact]
    public async Task Priority_work_is_served_before_normal_work_that_was_waiting_longer()
    {
        var db = await cluster.NewDatabaseAsync();
        var publisherDb = await cluster.NewDatabaseAsync();
        var publisher = await cluster.StartProbeAsync("priority-pub", publisherDb, new Dictionary<string, string?> { ["Probe__Subscribe"] = "false" });
        var normal = await cluster.PublishAsync(publisher, new { events = Enumerable.Range(1, 5).Select(i => new { behaviour = "succeed", sequence = i }) });
        var priority = await cluster.PublishAsync(publisher, new { events = Enumerable.Range(6, 5).Select(i => new { behaviour = "succeed", sequence = i }), priority = true });
        var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        await Eventually.Until(async () => await redis.GetDatabase().StreamLengthAsync("probe-priority"), n => n >= 5, Patience, "the backlog");

        await cluster.StartProbeAsync("priority", db, new Dictionary<string, string?> { ["Messaging__Delivery__Concurrency"] = "1" });

        await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count == 10, Patience, "all ten effects");
        var order = (await ProbeCluster.DeliveriesAsync(db)).Select(d => d.EventId).ToList();
        Assert.Equal(priority.Order(), order.Take(5).Order());
        Assert.Equal(normal.Order(), order.Skip(5).Order());
    }

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        var db = await cluster.NewDatabaseAsync();
        var probe = await cluster.StartProbeAsync("rollback", db);

        Assert.Empty(await cluster.PublishAsync(probe, new { events = new[] { new { behaviour = "succeed", sequence = 1 } }, rollback = true }));
        var committed = await cluster.PublishAsync(probe, new { events = new[] { new { behaviour = "succeed", sequence = 2 } } });

        // The committed event arriving proves the pipeline ran; the rolled back one never existed.
        var effects = await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count >= 1, Patience, "the committed event");
        Assert.Equal(committed, effects.Select(e => e.EventId));
        Assert.Equal(0, (await ProbeCluster.QueryAsync(db, "SELECT count(*) FROM outbox_messages WHERE payload->>'sequence' = '1'", r => r.GetInt64(0))).Single());
    }

    [Fact]
    public async Task A_bulk_subscription_gets_many_events_per_request_and_settles_each_on_its_own()
    {
        var db = await cluster.NewDatabaseAsync();
        var publisher = await cluster.StartProbeAsync("bulk-pub", await cluster.NewDatabaseAsync(), new Dictionary<string, string?> { ["Probe__Subscribe"] = "false" });
        var ids = await cluster.PublishAsync(publisher, new
        {
            events = Enumerable.Range(1, 30).Select(i => (object)new { behaviour = "succeed", sequence = i })
                .Append(new { behaviour = "retry-twice", sequence = 31 })
                .Append(new { behaviour = "fail", sequence = 32, failures = 99 }),
            bulk = true,
        });
        // The whole backlog waits in the stream before the consumer starts, so how it is cut into
        // requests does not depend on how fast the relay happened to publish.
        var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        await Eventually.Until(async () => await redis.GetDatabase().StreamLengthAsync("probe-bulk"), n => n == 32, Patience, "the backlog");

        await cluster.StartProbeAsync("bulk", db, new Dictionary<string, string?> { ["Messaging__Delivery__MaxAttempts"] = "3" });

        var effects = await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count == 31, Patience, "31 effects");
        var letters = await Eventually.Until(() => ProbeCluster.DeadLettersAsync(db), l => l.Count == 1, Patience, "the dead letter");
        Assert.Equal(ids[31], letters[0].EventId);
        Assert.Equal(ids.Take(31).Order(), effects.Select(e => e.EventId).Order());
        var deliveries = await ProbeCluster.QueryAsync(db, "SELECT event_id, batch FROM probe_deliveries", r => (Id: r.GetString(0), Batch: r.GetString(1)));
        // Each entry is retried alone: the failing one three times, the retrying one three times.
        Assert.Equal(3, deliveries.Count(d => d.Id == ids[31]));
        Assert.Equal(3, deliveries.Count(d => d.Id == ids[30]));
        Assert.True(deliveries.Select(d => d.Batch).Distinct().Count() < deliveries.Count / 2,
            $"{deliveries.Count} deliveries came in {deliveries.Select(d => d.Batch).Distinct().Count()} requests");
    }

    [Fact]
    public async Task A_bulk_only_consumer_busy_with_a_slow_chunk_gathers_what_arrives_meanwhile_into_one_chunk()
    {
        var db = await cluster.NewDatabaseAsync();
        var publisher = await cluster.StartProbeAsync("gather-pub", await cluster.NewDatabaseAsync(), new Dictionary<string, string?> { ["Probe__Subscribe"] = "false" });
        // Bulk topic alone (the dead-letter store every service has does not count), chunks of
        // 10 and 10 slots: while the slow event holds one, a read waits for the full ten.
        await cluster.StartProbeAsync("gather", db, new Dictionary<string, string?>
        {
            ["Probe__Subscribe"] = "bulk",
            ["Probe__BulkMaxAwaitMs"] = "30000",
            ["Messaging__Delivery__Concurrency"] = "10",
        });
        var slow = await cluster.PublishAsync(publisher, new { events = new[] { new { behaviour = "slow", sequence = 0, delay_ms = 4000 } }, bulk = true });
        await Eventually.Until(() => ProbeCluster.DeliveriesAsync(db), d => d.Any(x => x.EventId == slow[0]), Patience, "the slow event's delivery");

        // Three publishes apart: without gathering, the idle slots would take them as they come.
        var meanwhile = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            meanwhile.AddRange(await cluster.PublishAsync(publisher, new
            {
                events = Enumerable.Range(1, 3).Select(n => new { behaviour = "succeed", sequence = (i * 3) + n }),
                bulk = true,
            }));
            await Task.Delay(300);
        }

        var effects = await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count == 10, Patience, "all ten effects");
        var batches = await ProbeCluster.QueryAsync(db, "SELECT event_id, batch FROM probe_deliveries", r => (Id: r.GetString(0), Batch: r.GetString(1)));
        Assert.Equal(meanwhile.Order(), effects.Select(e => e.EventId).Where(id => id != slow[0]).Order());
        Assert.Single(batches.Where(b => meanwhile.Contains(b.Id)).Select(b => b.Batch).Distinct());
    }

    [Fact]
    public async Task A_read_of_two_backlogged_streams_that_returns_more_than_the_free_slots_still_delivers_everything()
    {
        var db = await cluster.NewDatabaseAsync();
        var publisher = await cluster.StartProbeAsync("overflow-pub", await cluster.NewDatabaseAsync(), new Dictionary<string, string?> { ["Probe__Subscribe"] = "false" });
        await cluster.PublishAsync(publisher, new { events = Enumerable.Range(1, 5).Select(i => new { behaviour = "succeed", sequence = i }) });
        await cluster.PublishAsync(publisher, new { events = Enumerable.Range(6, 5).Select(i => new { behaviour = "succeed", sequence = i }), bulk = true });
        var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        await Eventually.Until(async () => await redis.GetDatabase().StreamLengthAsync("probe") + await redis.GetDatabase().StreamLengthAsync("probe-bulk"),
            n => n == 10, Patience, "both backlogs");

        // COUNT limits each stream on its own: with two slots, one read returns two of each.
        await cluster.StartProbeAsync("overflow", db, new Dictionary<string, string?> { ["Messaging__Delivery__Concurrency"] = "2" });

        var effects = await Eventually.Until(() => ProbeCluster.EffectsAsync(db), e => e.Count == 10, Patience, "all ten effects");
        Assert.Equal(Enumerable.Range(1, 10), effects.Select(e => e.Sequence).Order());
    }

    private async Task<string> RunProbeCommandAsync(string database, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["Send__InternalIdentity__Secret"] = cluster.IdentitySecret,
            ["ConnectionStrings__redis"] = cluster.Redis.ConnectionString,
            ["ConnectionStrings__probedb"] = database,
            ["Probe__AppId"] = "deadletters",
            ["DOTNET_NOLOGO"] = "1",
        };
        var dll = Repository.ServiceDll("MessagingProbe");
        using var process = new ExternalProcess("probe-cli", "dotnet", [dll, .. args], env, Path.GetDirectoryName(dll));
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        return process.Output;
    }
}
