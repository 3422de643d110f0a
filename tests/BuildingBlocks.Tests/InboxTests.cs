using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;
using Send.TestSupport;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Tests;

/// <summary>Consumer idempotency on real PostgreSQL: an event's effect is applied once, however often it arrives.</summary>
public sealed class InboxTests : IAsyncLifetime
{
    private const string Consumer = "widgets-projection";
    private OutboxHarness _harness = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        var postgres = await SharedInfrastructure.PostgresAsync();
        _redis = await ConnectionMultiplexer.ConnectAsync((await SharedInfrastructure.RedisAsync()).ConnectionString);
        _harness = new OutboxHarness(postgres.ConnectionString(await postgres.CreateDatabaseAsync("inbox")), _redis);
        await _harness.CreateSchemaAsync();
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task The_same_event_delivered_three_times_is_applied_once()
    {
        var eventId = Guid.NewGuid().ToString();
        var applied = 0;
        for (var delivery = 0; delivery < 3; delivery++)
        {
            applied += await HandleAsync(eventId, commit: true) ? 1 : 0;
        }

        Assert.Equal(1, applied);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task A_handler_that_crashes_before_commit_leaves_nothing_and_the_redelivery_applies_it()
    {
        var eventId = Guid.NewGuid().ToString();
        Assert.True(await HandleAsync(eventId, commit: false));
        Assert.Equal(0, await CountAsync());

        Assert.True(await HandleAsync(eventId, commit: true));
        Assert.False(await HandleAsync(eventId, commit: true));
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_apply_it_once()
    {
        var eventId = Guid.NewGuid().ToString();
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => HandleAsync(eventId, commit: true))));
        Assert.Equal(1, results.Count(applied => applied));
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task A_bulk_mark_returns_only_the_events_seen_for_the_first_time_and_rolls_back_with_its_transaction()
    {
        var (a, b, c) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        Assert.True(await HandleAsync(a, commit: true));

        // b's first bulk crashes before commit: nothing of it stays marked.
        Assert.Equal([b], await MarkManyAsync([b, b], commit: false));
        // a was processed alone before, b twice in one bulk counts once, c is new.
        Assert.Equal([b, c], await MarkManyAsync([a, b, b, c], commit: true));
        Assert.Empty(await MarkManyAsync([a, b, c], commit: true));
        Assert.Empty(await MarkManyAsync([], commit: true));
    }

    [Fact]
    public async Task Marking_outside_a_transaction_is_refused()
    {
        await using var db = _harness.NewContext();
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.TryBeginAsync(Consumer, "x", DateTimeOffset.UtcNow, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.TryBeginManyAsync(Consumer, ["x"], DateTimeOffset.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task Cleanup_removes_old_published_messages_and_marks_but_keeps_unpublished_ones()
    {
        var old = DateTimeOffset.UtcNow.AddDays(-10);
        await using (var db = _harness.NewContext())
        {
            db.Enqueue("cleanup", "t", new { }, old).PublishedAt = old;
            db.Enqueue("cleanup", "t", new { }, old);
            db.Set<ProcessedEvent>().Add(new ProcessedEvent { Consumer = "cleanup", EventId = "old", ProcessedAt = old });
            await db.SaveChangesAsync();
        }

        await using var cleanup = _harness.NewContext();
        var (outbox, inbox) = await cleanup.DeleteOlderThanAsync(DateTimeOffset.UtcNow.AddDays(-7), CancellationToken.None);
        Assert.Equal((1, 1), (outbox, inbox));
        Assert.Equal(1, await cleanup.Set<OutboxMessage>().CountAsync(m => m.Topic == "cleanup" && m.PublishedAt == null));
    }

    /// <summary>A projection: the event's effect (a widget) and its processed mark, in one transaction.</summary>
    private async Task<bool> HandleAsync(string eventId, bool commit)
    {
        await using var db = _harness.NewContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await db.TryBeginAsync(Consumer, eventId, DateTimeOffset.UtcNow, CancellationToken.None))
        {
            return false;
        }

        db.Widgets.Add(new Widget { Id = Guid.NewGuid(), Name = eventId });
        await db.SaveChangesAsync();
        if (commit)
        {
            await transaction.CommitAsync();
        }

        return true;
    }

    private async Task<List<string>> MarkManyAsync(string[] eventIds, bool commit)
    {
        await using var db = _harness.NewContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var fresh = await db.TryBeginManyAsync(Consumer, eventIds, DateTimeOffset.UtcNow, CancellationToken.None);
        if (commit)
        {
            await transaction.CommitAsync();
        }

        return [.. eventIds.Distinct().Where(fresh.Contains)];
    }

    private async Task<int> CountAsync()
    {
        await using var db = _harness.NewContext();
        return await db.Widgets.CountAsync();
    }
}
