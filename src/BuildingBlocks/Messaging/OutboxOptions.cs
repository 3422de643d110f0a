namespace Send.BuildingBlocks.Messaging;

public sealed class OutboxOptions
{
    public const string SectionName = "Messaging:Outbox";

    /// <summary>How long the relay waits when it found nothing to publish.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public int BatchSize { get; set; } = 200;

    /// <summary>First retry delay after a failed publish; doubles per attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long published messages and processed-event marks are kept (7 days).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
