using System.Net.Http.Json;
using System.Text.Json;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.TestSupport;
using StackExchange.Redis;

namespace Send.EventService.Tests;

/// <summary>
/// Analytics count each email event once, however often the transport hands it over: again
/// later (a redelivery) or twice in one bulk chunk (published twice, as an outbox relay that
/// crashed after publishing and before marking does).
/// </summary>
[Collection(EventClusterDefinition.Name)]
public sealed class AnalyticsRedeliveryTests(EventCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_email_event_published_again_or_twice_in_one_chunk_is_counted_once()
    {
        var organizationId = "org_" + Guid.NewGuid().ToString("N")[..26];
        using var api = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync(organizationId, ["analytics:read"]));
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var publisher = new RedisStreamsPublisher(redis);
        var first = Delivered(organizationId, "send_redelivery_first");
        var second = Delivered(organizationId, "send_redelivery_second");

        // In one MULTI: Redis serves the blocked reader after the whole transaction, so the
        // duplicate comes in the same read, hence the same bulk chunk, as the original.
        var transaction = redis.GetDatabase().CreateTransaction();
        var adds = new[] { first, first, second }.Select(e => transaction.StreamAddAsync(Topics.EmailEvents, "data", JsonSerializer.SerializeToUtf8Bytes(e))).ToList();
        Assert.True(await transaction.ExecuteAsync());
        await Task.WhenAll(adds);
        await AllSettledAsync(redis);
        // A later redelivery, through the publisher the services use.
        await publisher.PublishAsync(first, CancellationToken.None);
        await AllSettledAsync(redis);

        var totals = (await api.GetFromJsonAsync<JsonElement>("/v1/analytics/overview?granularity=hour&from="
            + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-2).ToString("O")))).GetProperty("totals");
        Assert.Equal(2, totals.GetProperty("delivered").GetInt64());
        var events = await api.GetFromJsonAsync<JsonElement>("/v1/analytics/events?type=email.delivered");
        Assert.Equal(["send_redelivery_first", "send_redelivery_second"],
            events.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("email_id").GetString()).Order());
    }

    private static CloudEvent Delivered(string organizationId, string emailId)
    {
        var now = DateTimeOffset.UtcNow;
        var data = new EmailLifecycleEvent(organizationId, emailId, "email.delivered", now, "sender@example.com", ["to@example.org"], "Hello");
        return new CloudEvent(Guid.CreateVersion7().ToString(), "emailservice", "send.email.lifecycle.v1", now,
            JsonSerializer.SerializeToElement(data, EventJson.Options), Topics.EmailEvents);
    }

    /// <summary>EventService's consumer group has read everything on the stream and acknowledged it all.</summary>
    private static async Task AllSettledAsync(ConnectionMultiplexer redis) =>
        await Eventually.Until(async () => (await redis.GetDatabase().StreamGroupInfoAsync(Topics.EmailEvents)).Single(g => g.Name == AppIds.EventService),
            group => group is { PendingMessageCount: 0, Lag: 0 }, Patience, "EventService to settle every email event");
}
