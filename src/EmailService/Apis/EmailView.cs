using Send.EmailService.Model;

namespace Send.EmailService.Apis;

/// <summary>Resend's email object, plus Send's status timeline, tags and delivery details.</summary>
public sealed record EmailView(
    [property: System.Text.Json.Serialization.JsonPropertyName("object")] string Kind,
    string Id,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    IReadOnlyList<string> ReplyTo,
    string Subject,
    string? Html,
    string? Text,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledAt,
    string LastEvent,
    bool Priority,
    IReadOnlyList<EmailTag> Tags,
    IReadOnlyList<string> Suppressed,
    IReadOnlyList<TimelineView> Timeline)
{
    public static EmailView Of(Email email, IEnumerable<EmailTimelineEntry> timeline) => new(
        "email", email.Id, email.From, email.To, email.Cc, email.Bcc, email.ReplyTo, email.Subject, email.Html, email.Text,
        email.CreatedAt, email.ScheduledAt, email.Status, email.Priority, email.Tags, email.Suppressed,
        [.. timeline.OrderBy(t => t.Id).Select(t => new TimelineView(t.Status, t.OccurredAt, t.Detail))]);
}

public sealed record TimelineView(string Status, DateTimeOffset OccurredAt, string? Detail);

/// <summary>The answer to a send: Resend's <c>{id}</c>, plus where the email stands and who was left out.</summary>
public sealed record SendEmailResponse(string Id, string Status, IReadOnlyList<string>? Suppressed);

/// <summary>An email in a list: its envelope and state, without bodies or timeline.</summary>
public sealed record EmailSummaryView(
    [property: System.Text.Json.Serialization.JsonPropertyName("object")] string Kind,
    string Id,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    IReadOnlyList<string> ReplyTo,
    string Subject,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ScheduledAt,
    string LastEvent,
    IReadOnlyList<EmailTag> Tags)
{
    public static EmailSummaryView Of(Email email) => new(
        "email", email.Id, email.From, email.To, email.Cc, email.Bcc, email.ReplyTo, email.Subject, email.CreatedAt, email.ScheduledAt, email.Status, email.Tags);
}

/// <summary>What reschedule and cancel answer, as Resend does.</summary>
public sealed record EmailReference(string Id)
{
    [System.Text.Json.Serialization.JsonPropertyName("object")] public string Kind => "email";
}

public sealed record RescheduleRequest(string? ScheduledAt);
