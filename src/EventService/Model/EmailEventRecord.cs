namespace Send.EventService.Model;

/// <summary>One public email event as it happened (the canonical event log behind <c>/v1/analytics/events</c>).</summary>
public sealed class EmailEventRecord
{
    /// <summary><c>evt_…</c>, time-ordered by arrival: the cursor of the event stream.</summary>
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string EmailId { get; set; }

    /// <summary>Resend's name: <c>email.delivered</c>, <c>email.bounced</c>…</summary>
    public required string Type { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string? Recipient { get; set; }
    public Dictionary<string, string> Details { get; set; } = [];
}
