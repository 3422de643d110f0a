using System.Text.Json;
using Dapr.Client;

namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// The Kubernetes adapter: publishes through the Dapr sidecar to the pub/sub component
/// (SNS/SQS in AWS). The event goes out as a structured CloudEvent
/// (<c>application/cloudevents+json</c>), which the sidecar passes on instead of wrapping it
/// again, so the id consumers de-duplicate by is the outbox row's id on both transports.
/// </summary>
public sealed class DaprEventPublisher(DaprClient dapr, string pubSubName) : IEventPublisher
{
    public const string DefaultPubSubName = Send.Contracts.Components.PubSub;

    public Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken) =>
        dapr.PublishByteEventAsync(pubSubName, cloudEvent.Topic, JsonSerializer.SerializeToUtf8Bytes(cloudEvent),
            CloudEvent.ContentType, cancellationToken: cancellationToken);
}
