namespace Send.BuildingBlocks.Messaging.DeadLetters;

/// <summary>
/// A message this service could not process after all its attempts, kept in the service's own
/// database (whatever the transport) until someone replays it. Keyed by event and original
/// topic: a replayed message that fails again comes back to the same row.
/// </summary>
public sealed class DeadLetter
{
    public required string EventId { get; set; }
    public required string Topic { get; set; }
    public required string Type { get; set; }
    public required string Source { get; set; }

    /// <summary>The event's data, as it was published (JSON).</summary>
    public required string Data { get; set; }

    public string? Reason { get; set; }
    public DateTimeOffset DeadLetteredAt { get; set; }
    public DateTimeOffset? ReplayedAt { get; set; }
    public int Replays { get; set; }
}
