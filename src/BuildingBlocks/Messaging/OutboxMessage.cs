namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// An integration event written in the same transaction as the state change it announces; a
/// relay publishes it afterwards, so a crash between commit and publish loses nothing.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public required string Topic { get; set; }
    public required string Type { get; set; }
    public required string Payload { get; set; }
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }

    /// <summary>After a failed publish the relay leaves the message alone until then (backoff).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
}
