using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.EmailService.Sending;

namespace Send.EmailService.Feedback;

public enum FeedbackOutcome
{
    Applied,
    Duplicate,

    /// <summary>The email is unknown or not sent yet: try again later (in the end, a visible dead letter).</summary>
    NotYet,

    /// <summary>Not a provider event Send understands: dropped with an error in the log.</summary>
    Malformed,
}

/// <summary>
/// Applies a provider's delivery event to its email, in one transaction: the timeline step,
/// <c>last_event</c>, the suppression list (a permanent bounce or a complaint at once; transient
/// bounces when they repeat) and the public <c>email.*</c> event through the outbox. A provider
/// event is applied once however often it arrives: it is marked by the provider's own event id
/// when there is one, so a provider retrying its callback is absorbed too.
/// </summary>
public sealed class ProviderFeedback(EmailDbContext db, SuppressionList suppressions, TimeProvider clock, ILogger<ProviderFeedback> logger)
{
    public const string Consumer = "provider-feedback";

    /// <summary>The details worth a line in the timeline, in reading order.</summary>
    private static readonly string[] DescribedDetails = ["bounce_type", "bounce_subtype", "status", "diagnostic_code", "complaint_feedback_type", "delay_type", "reason", "link"];

    public async Task<FeedbackOutcome> ApplyAsync(string eventId, ProviderEventReceived received, CancellationToken cancellationToken)
    {
        if (!ProviderEventKinds.All.Contains(received.Kind) || string.IsNullOrWhiteSpace(received.Recipient) || string.IsNullOrWhiteSpace(received.Provider))
        {
            logger.LogError("Dropped provider event {EventId}: kind {Kind} from {Provider} is not one Send understands", eventId, received.Kind, received.Provider);
            return FeedbackOutcome.Malformed;
        }

        var email = await FindAsync(received, cancellationToken);
        if (email is null || !LastEvents.HasLeft(email.Status))
        {
            logger.LogInformation("Provider event {EventId} ({Kind}) waits: email {EmailId} / {Provider} {MessageId} is {State}",
                eventId, received.Kind, received.EmailId, received.Provider, received.ProviderMessageId, email is null ? "unknown" : email.Status);
            return FeedbackOutcome.NotYet;
        }

        var now = clock.GetUtcNow();
        var status = LastEvents.StatusOf(received.Kind);
        var marker = received.ProviderEventId is { Length: > 0 } providerEventId ? $"{received.Provider}:{providerEventId}" : eventId;
        return await db.InTransactionAsync(async token =>
        {
            if (!await db.TryBeginAsync(Consumer, marker, now, token))
            {
                return FeedbackOutcome.Duplicate;
            }

            // The row lock orders concurrent events of one email, so last_event is decided on the latest value.
            var current = (await db.Database.SqlQuery<string>($"SELECT status AS \"Value\" FROM emails WHERE id = {email.Id} FOR UPDATE").ToListAsync(token)).Single();
            var next = LastEvents.Next(current, status);
            if (next != current)
            {
                await db.Emails.Where(e => e.Id == email.Id).ExecuteUpdateAsync(set => set.SetProperty(e => e.Status, next), token);
            }

            var recipient = received.Recipient.Trim().ToLowerInvariant();
            db.Timeline.Add(new EmailTimelineEntry { EmailId = email.Id, Status = status, OccurredAt = received.OccurredAt, Detail = Describe(recipient, received) });
            await suppressions.ApplyAsync(email.OrganizationId, email.Id, recipient, received, now, token);

            var details = new Dictionary<string, string>(received.Details ?? new Dictionary<string, string>()) { ["recipient"] = recipient, ["provider"] = received.Provider };
            LifecycleEvents.Announce(db, email.OrganizationId, email.Id, email.From, email.To, email.Subject, status, received.OccurredAt, now, details);
            await db.SaveChangesAsync(token);
            return FeedbackOutcome.Applied;
        }, cancellationToken);
    }

    private async Task<EmailFacts?> FindAsync(ProviderEventReceived received, CancellationToken cancellationToken)
    {
        var emails = db.Emails.AsNoTracking();
        var messageId = received.ProviderMessageId.Trim('<', '>', ' ');
        emails = received.EmailId is { Length: > 0 } id
            ? emails.Where(e => e.Id == id)
            : received.Provider == "smtp"
                ? emails.Where(e => e.MessageId == messageId)
                : emails.Where(e => e.ProviderMessageId == received.ProviderMessageId && e.Provider == received.Provider);
        return await emails.Select(e => new EmailFacts(e.Id, e.OrganizationId, e.Status, e.From, e.To, e.Subject)).FirstOrDefaultAsync(cancellationToken);
    }

    private static string Describe(string recipient, ProviderEventReceived received)
    {
        var details = received.Details ?? new Dictionary<string, string>();
        var parts = DescribedDetails.Where(details.ContainsKey).Select(key => details[key]);
        var said = string.Join(" ", parts);
        return said.Length == 0 ? $"{received.Provider}: {recipient}" : $"{received.Provider}: {recipient}: {said}";
    }

    private sealed record EmailFacts(string Id, string OrganizationId, string Status, string From, List<string> To, string Subject);
}
