namespace Send.EmailService.Model;

/// <summary>One step of an email's status timeline, appended, never changed.</summary>
public sealed class EmailTimelineEntry
{
    public long Id { get; set; }
    public required string EmailId { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string? Detail { get; set; }
}
