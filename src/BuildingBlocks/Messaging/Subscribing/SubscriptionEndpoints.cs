using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Send.BuildingBlocks.Messaging.Subscribing;

public static class SubscriptionEndpoints
{
    /// <summary>The gathering window a bulk subscription publishes unless told otherwise.</summary>
    public static readonly TimeSpan DefaultMaxAwait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Declares the endpoint a subscriber of <paramref name="topic"/> with Dapr's own metadata
    /// (so <c>/dapr/subscribe</c> lists it for daprd and the local transport alike), with this
    /// service's dead-letter topic, and optionally as a priority topic the local transport
    /// drains first. Subscription endpoints are not public API, so they stay out of OpenAPI.
    /// </summary>
    public static RouteHandlerBuilder WithSubscription(this RouteHandlerBuilder endpoint, MessagingApp messagingApp, string topic, bool highPriority = false)
    {
        endpoint.WithTopic(new TopicOptions
        {
            PubsubName = messagingApp.PubSubName,
            Name = topic,
            DeadLetterTopic = messagingApp.DeadLetterTopic,
        });
        if (highPriority)
        {
            endpoint.WithMetadata(new TopicMetadataAttribute(Subscription.PriorityMetadataKey, "high"));
        }

        return endpoint.ExcludeFromDescription();
    }

    /// <summary>
    /// As <see cref="WithSubscription"/>, for a handler that takes <see cref="BulkDelivery"/>:
    /// up to <paramref name="maxMessages"/> events per request, answered one by one. For
    /// high-volume topics whose per-event work is small, where a request per event would cost
    /// more than the work. Under load a delivery may wait up to <paramref name="maxAwait"/>
    /// (100 ms by default) to fill its chunk.
    /// </summary>
    public static RouteHandlerBuilder WithBulkSubscription(
        this RouteHandlerBuilder endpoint, MessagingApp messagingApp, string topic, int maxMessages = 100, bool highPriority = false, TimeSpan? maxAwait = null)
    {
        endpoint.WithSubscription(messagingApp, topic, highPriority);
        endpoint.WithBulkSubscribe(new Dapr.AspNetCore.BulkSubscribeTopicOptions
        {
            TopicName = topic,
            MaxMessagesCount = maxMessages,
            MaxAwaitDurationMs = (int)(maxAwait ?? DefaultMaxAwait).TotalMilliseconds,
        });
        return endpoint;
    }
}
