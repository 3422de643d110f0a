using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;
using Send.TestSupport;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Tests;

/// <summary>
/// The outbox against real PostgreSQL and Redis: a state change and its event commit or vanish
/// together, and what was committed is published even if nothing was running at commit time.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private readonly string _topic = $"test-widgets-{Guid.NewGuid():N}";
    private OutboxHarness _harness = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        var postgres = await SharedInfrastructure.PostgresAsync();
        var redis = await SharedInfrastructure.RedisAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        _harness = new OutboxHarness(postgres.ConnectionString(await postgres.CreateDatabaseAsync("outbox")), _redis);
        await _harness.CreateSchemaAsync();
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_rolled_back_change_publishes_nothing()
    {
        await using (var db = _harness.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "never" });
            db.Enqueue(_topic, "send.widget.created.v1", new { name = "never" }, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await _harness.NewRelay().RelayBatchAsync(CancellationToken.None));
        Assert.Equal(0, await _redis.GetDatabase().StreamLengthAsync(_topic));
        await using var check = _harness.NewContext();
        Assert.Equal(0, await check.Widgets.CountAsync());
    }

    [Fact]
    public async Task A_change_committed_while_no_relay_ran_is_published_once_as_a_cloudevent()
    {
        Guid id;
        await using (var db = _harness.NewContext())
        {
            db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = "kept" });
            id = db.Enqueue(_topic, "send.widget.created.v1", new { WidgetName = "kept" }, DateTimeOffset.UtcNow).Id;
            await db.SaveChangesAsync();
        }

        // A relay started later (the service restarted after the commit) finds and publishes it.
        var relay = _harness.NewRelay();
        Assert.Equal(1, await relay.RelayBatchAsync(CancellationToken.None));
        Assert.Equal(0, await relay.RelayBatchAsync(CancellationToken.None));

        var entry = Assert.Single(await _redis.GetDatabase().StreamRangeAsync(_topic));
        var cloudEvent = JsonDocument.Parse(entry["data"].ToString()).RootElement;
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal(id.ToString(), cloudEvent.GetProperty("id").GetString());
        Assert.Equal("send.widget.created.v1", cloudEvent.GetProperty("type").GetString());
        Assert.Equal("Send.Tests", cloudEvent.GetProperty("source").GetString());
        Assert.Equal("kept", cloudEvent.GetProperty("data").GetProperty("widget_name").GetString());

        await using var check = _harness.NewContext();
        Assert.NotNull((await check.Set<OutboxMessage>().SingleAsync()).PublishedAt);
    }

    [Fact]
    public async Task Concurrent_relays_publish_every_message_exactly_once()
    {
        const int count = 300;
        await using (var db = _harness.NewContext())
        {
            for (var i = 0; i < count; i++)
            {
                db.Enqueue(_topic, "send.widget.created.v1", new { n = i }, DateTimeOffset.UtcNow);
            }

            await db.SaveChangesAsync();
        }

        var relays = Enumerable.Range(0, 3).Select(_ => _harness.NewRelay()).ToList();
        var rounds = await Task.WhenAll(relays.Select(async relay =>
        {
            var total = 0;
            for (var i = 0; i < 10; i++)
            {
                total += await relay.RelayBatchAsync(CancellationToken.None);
            }

            return total;
        }));

        Assert.Equal(count, rounds.Sum());
        var ids = (await _redis.GetDatabase().StreamRangeAsync(_topic))
            .Select(e => JsonDocument.Parse(e["data"].ToString()).RootElement.GetProperty("id").GetString()).ToList();
        Assert.Equal(count, ids.Count);
        Assert.Equal(count, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_failed_publish_backs_off_and_succeeds_later_without_blocking()
    {
        await using (var db = _harness.NewContext())
        {
            db.Enqueue(_topic, "send.widget.created.v1", new { n = 1 }, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        var failing = _harness.NewRelay(new FailingPublisher());
        Assert.Equal(0, await failing.RelayBatchAsync(CancellationToken.None));
        await using (var check = _harness.NewContext())
        {
            var message = await check.Set<OutboxMessage>().SingleAsync();
            Assert.Equal(1, message.Attempts);
            Assert.Contains("transport down", message.LastError, StringComparison.Ordinal);
            Assert.True(message.NextAttemptAt > message.CreatedAt);
            Assert.Null(message.PublishedAt);
        }

        // Backing off: not retried before its time, then published once the transport works.
        Assert.Equal(0, await _harness.NewRelay().RelayBatchAsync(CancellationToken.None));
        await Eventually.Until(() => _harness.NewRelay().RelayBatchAsync(CancellationToken.None), n => n == 1,
            TimeSpan.FromSeconds(10), "the message to be published after its backoff");
        Assert.Equal(1, await _redis.GetDatabase().StreamLengthAsync(_topic));
    }

    private sealed class FailingPublisher : IEventPublisher
    {
        public Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken) =>
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "transport down");
    }
}
