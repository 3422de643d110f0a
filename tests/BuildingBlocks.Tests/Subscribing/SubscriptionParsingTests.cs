using Send.BuildingBlocks.Messaging.Subscribing;

namespace Send.BuildingBlocks.Tests.Subscribing;

/// <summary>The local transport reads an app's <c>/dapr/subscribe</c> answer as daprd does, bulk settings included.</summary>
public sealed class SubscriptionParsingTests
{
    [Fact]
    public void A_bulk_subscription_carries_its_chunk_size_and_gathering_window()
    {
        var subscription = Assert.Single(Subscription.ParseAll("""
            [{"pubsubname":"pubsub","topic":"t","route":"events/t",
              "bulkSubscribe":{"enabled":true,"maxMessagesCount":10,"maxAwaitDurationMs":250}}]
            """));

        Assert.Equal(10, subscription.BulkMaxMessages);
        Assert.Equal(TimeSpan.FromMilliseconds(250), subscription.BulkMaxAwait);
        Assert.Equal("/events/t", subscription.Route);
    }

    [Fact]
    public void Bulk_settings_left_out_take_daprs_defaults()
    {
        var subscription = Assert.Single(Subscription.ParseAll("""
            [{"pubsubname":"pubsub","topic":"t","routes":{"default":"/events/t"},"bulkSubscribe":{"enabled":true}}]
            """));

        Assert.Equal(100, subscription.BulkMaxMessages);
        Assert.Equal(TimeSpan.FromSeconds(1), subscription.BulkMaxAwait);
    }

    [Fact]
    public void A_disabled_bulk_subscription_is_delivered_event_by_event()
    {
        var subscription = Assert.Single(Subscription.ParseAll("""
            [{"pubsubname":"pubsub","topic":"t","route":"/events/t","bulkSubscribe":{"enabled":false,"maxMessagesCount":10}}]
            """));

        Assert.Null(subscription.BulkMaxMessages);
    }
}
