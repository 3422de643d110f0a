using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;

namespace Send.EmailService.Sending;

/// <summary>
/// The public <c>email.*</c> events (Resend's names) on <see cref="Topics.EmailEvents"/>, always
/// added to the unit of work that makes the change they announce: webhooks and analytics see
/// exactly what was committed.
/// </summary>
public static class LifecycleEvents
{
    public static void Announce(EmailDbContext db, Email email, string status, DateTimeOffset at, DateTimeOffset now, IReadOnlyDictionary<string, string>? details = null) =>
        Announce(db, email.OrganizationId, email.Id, email.From, email.To, email.Subject, status, at, now, details);

    public static void Announce(
        EmailDbContext db, string organizationId, string emailId, string from, IReadOnlyList<string> to, string subject,
        string status, DateTimeOffset at, DateTimeOffset now, IReadOnlyDictionary<string, string>? details = null) =>
        db.Enqueue(Topics.EmailEvents, new EmailLifecycleEvent(organizationId, emailId, $"email.{status}", at, from, to, subject, details), now);

    /// <summary>The announcement of <paramref name="email"/> reaching <paramref name="status"/>, as an outbox message for a bulk writer (<see cref="Outbox.InsertAsync"/>).</summary>
    public static OutboxMessage Message(Email email, string status, DateTimeOffset at, DateTimeOffset now, IReadOnlyDictionary<string, string>? details = null) =>
        Outbox.Message(Topics.EmailEvents, new EmailLifecycleEvent(email.OrganizationId, email.Id, $"email.{status}", at, email.From, email.To, email.Subject, details), now);

    /// <summary>What an email's acceptance announces: queued or scheduled, and the recipients left out as suppressed.</summary>
    public static IEnumerable<OutboxMessage> AcceptedMessages(Email email)
    {
        yield return Message(email, email.Status, email.CreatedAt, email.CreatedAt);
        if (email.Suppressed.Count > 0)
        {
            yield return Message(email, EmailStatus.Suppressed, email.CreatedAt, email.CreatedAt,
                new Dictionary<string, string> { ["recipients"] = string.Join(",", email.Suppressed) });
        }
    }
}
