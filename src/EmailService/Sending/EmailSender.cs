using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.EmailService.Sending.Providers;

namespace Send.EmailService.Sending;

public enum SendStep
{
    /// <summary>Settled (sent, failed, or not ours to send): acknowledge the queue message.</summary>
    Done,

    /// <summary>A transient failure with attempts left: redeliver the queue message after a backoff.</summary>
    RetryLater,
}

/// <summary>
/// The delivery worker's work for one queued email:
/// <list type="number">
/// <item>Take a lease, so no other worker sends it at the same time; a crashed worker's lease
/// simply runs out and the email is taken again.</item>
/// <item>Build the MIME message, DKIM-sign it with the domain's key, and hand it to the provider (the sandbox for test keys).</item>
/// <item>Record the outcome, its timeline step and its public event in one transaction.</item>
/// </list>
/// Transient failures are retried up to <see cref="MaxAttempts"/> times in all; permanent ones
/// fail the email at once.
/// </summary>
public sealed class EmailSender(
    EmailDbContext db, ProviderChain providers, SandboxProvider sandbox, SenderIdentity identity, TimeProvider clock, IOptions<SendingOptions> options, ILogger<EmailSender> logger)
{
    public const int MaxAttempts = 3;
    private IReadOnlyList<(string Provider, string Error)> _failedAttempts = [];
    private static readonly string Worker = $"{Environment.MachineName}-{Environment.ProcessId}";

    public async Task<SendStep> SendAsync(string emailId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var leased = await db.Emails
            .Where(e => e.Id == emailId && (e.Status == EmailStatus.Queued || (e.Status == EmailStatus.Sending && e.LeasedUntil < now)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, EmailStatus.Sending)
                .SetProperty(e => e.LeaseOwner, Worker)
                .SetProperty(e => e.LeasedUntil, now + options.Value.Lease)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1), cancellationToken);
        if (leased == 0)
        {
            // Already settled, canceled, rescheduled, or leased by a live worker that will settle it.
            return SendStep.Done;
        }

        // From here on the work belongs to the lease, not to the delivery request: if the transport
        // gives up waiting and aborts the request, a send that a provider already accepted must
        // still be recorded, or the email would be requeued after its lease and sent twice.
        using var leaseTime = new CancellationTokenSource(options.Value.Lease);
        cancellationToken = leaseTime.Token;
        var email = await db.Emails.AsNoTracking().Include(e => e.Attachments).SingleAsync(e => e.Id == emailId, cancellationToken);
        ChainOutcome outcome;
        try
        {
            var message = MessageBuilder.Build(email, now);
            var envelopeSender = await identity.ApplyAsync(db, email, message, cancellationToken);
            var outgoing = new OutgoingEmail(email.Id, email.OrganizationId, message, envelopeSender, MessageBuilder.Recipients(email));
            outcome = email.Test
                ? new ChainOutcome(await sandbox.SendAsync(outgoing, cancellationToken), sandbox.Name, [])
                : await providers.SendAsync(outgoing, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong, the email must not stay leased and unsent: count it as transient.
            outcome = new ChainOutcome(ProviderResult.Transient(ex.Message), "none", []);
        }

        _failedAttempts = outcome.FailedAttempts;
        var result = outcome.Result;
        return result.Outcome switch
        {
            ProviderOutcome.Accepted => await SettleAsync(email, EmailStatus.Sent, outcome.Provider, result.ProviderMessageId, null, cancellationToken),
            ProviderOutcome.Transient when email.Attempts < MaxAttempts => await ReleaseAsync(email, result.Error!, cancellationToken),
            _ => await SettleAsync(email, EmailStatus.Failed, outcome.Provider, null, result.Error, cancellationToken),
        };
    }

    /// <summary>Each provider that failed before the outcome goes on the timeline, in the same unit of work as the outcome.</summary>
    private void AddFailedAttempts(Email email)
    {
        var at = clock.GetUtcNow();
        foreach (var (provider, error) in _failedAttempts)
        {
            db.Timeline.Add(new EmailTimelineEntry { EmailId = email.Id, Status = EmailStatus.AttemptFailed, OccurredAt = at, Detail = $"{provider}: {error}" });
        }
    }

    private async Task<SendStep> SettleAsync(Email email, string status, string provider, string? providerMessageId, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.InTransactionAsync(async token =>
        {
            await db.Emails.Where(e => e.Id == email.Id).ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, status)
                .SetProperty(e => e.Provider, provider)
                .SetProperty(e => e.ProviderMessageId, providerMessageId)
                .SetProperty(e => e.SentAt, status == EmailStatus.Sent ? now : null)
                .SetProperty(e => e.LastError, error)
                .SetProperty(e => e.LeaseOwner, (string?)null)
                .SetProperty(e => e.LeasedUntil, (DateTimeOffset?)null), token);
            AddFailedAttempts(email);
            db.Timeline.Add(new EmailTimelineEntry { EmailId = email.Id, Status = status, OccurredAt = now, Detail = error ?? $"{provider}: {providerMessageId}" });
            LifecycleEvents.Announce(db, email, status, now, now, error is null ? null : new Dictionary<string, string> { ["reason"] = error, ["provider"] = provider });
            if (email.Test && status == EmailStatus.Sent)
            {
                foreach (var simulated in SandboxSimulator.Events(email, providerMessageId ?? "", now))
                {
                    db.Enqueue(Topics.ProviderEvents, simulated, now);
                }
            }

            await db.SaveChangesAsync(token);
        }, cancellationToken);
        if (status == EmailStatus.Failed)
        {
            logger.LogWarning("Email {Id} failed after {Attempts} attempt(s): {Error}", email.Id, email.Attempts, error);
        }

        return SendStep.Done;
    }

    /// <summary>Gives the email back to the queue; the transport redelivers the message after its backoff.</summary>
    private async Task<SendStep> ReleaseAsync(Email email, string error, CancellationToken cancellationToken)
    {
        await db.Emails.Where(e => e.Id == email.Id && e.LeaseOwner == Worker).ExecuteUpdateAsync(set => set
            .SetProperty(e => e.Status, EmailStatus.Queued)
            .SetProperty(e => e.LastError, error)
            .SetProperty(e => e.LeaseOwner, (string?)null)
            .SetProperty(e => e.LeasedUntil, (DateTimeOffset?)null), cancellationToken);
        AddFailedAttempts(email);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Email {Id} attempt {Attempt} failed, will retry: {Error}", email.Id, email.Attempts, error);
        return SendStep.RetryLater;
    }
}
