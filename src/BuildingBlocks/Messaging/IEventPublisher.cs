namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// The publishing port. Two adapters: Dapr pub/sub on Kubernetes, Redis Streams for local
/// runs, tests and single-host installs; configuration picks one. Only the outbox relay calls
/// it: application code writes events to the outbox, in the transaction of its state change.
/// </summary>
public interface IEventPublisher
{
    Task PublishAsync(CloudEvent cloudEvent, CancellationToken cancellationToken);
}
