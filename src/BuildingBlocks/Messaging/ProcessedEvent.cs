namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// Remembers that a consumer applied an event, so an at-least-once redelivery is absorbed
/// instead of applied twice. The key is (consumer, event id).
/// </summary>
public sealed class ProcessedEvent
{
    public required string Consumer { get; set; }
    public required string EventId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
