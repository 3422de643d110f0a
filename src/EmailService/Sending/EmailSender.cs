using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
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
/// The delivery worker's work for a chunk of queued emails (one bulk delivery from the queue):
/// <list type="number">
/// <item>Lease them all in one statement, so no other worker sends them at the same time; a
/// crashed worker's lease simply runs out and its emails are taken again.</item>
/// <item>Build each MIME message, DKIM-sign it with its domain's key, and hand it to the
/// provider chain (the sandbox for test keys), all of the chunk at once.</item>
/// <item>Record every outcome, its timeline steps and its public event in one transaction.</item>
/// </list>
/// Per email, that is a share of three round trips instead of six or more of its own, which is
/// what lets one worker keep a pool of SMTP connections busy. Transient failures are retried up
/// to <see cref="MaxAttempts"/> times in all; permanent ones fail the email at once.
/// </summary>
public sealed class EmailSender(
    EmailDbContext db, ProviderChain providers, SandboxProvider sandbox, SenderIdentity identity, TimeProvider clock, IOptions<SendingOptions> options, ILogger<EmailSender> logger)
{
    public const int MaxAttempts = 3;
    private static readonly string Worker = $"{Environment.MachineName}-{Environment.ProcessId}";
    private static long _leases;

    /// <summary>Sends what can be sent of <paramref name="emailIds"/>; says, per id, whether its queue message is done or must come back later.</summary>
    public async Task<IReadOnlyDictionary<string, SendStep>> SendAsync(IReadOnlyCollection<string> emailIds, CancellationToken cancellationToken)
    {
        var ids = emailIds.Distinct(StringComparer.Ordinal).ToList();
        var steps = ids.ToDictionary(id => id, _ => SendStep.Done, StringComparer.Ordinal);

        // Each lease has its own owner name, so a chunk loads exactly the emails it leased, even
        // while the same process works on others (or is handed one of these ids twice).
        var lease = $"{Worker}-{Interlocked.Increment(ref _leases)}";
        var now = clock.GetUtcNow();
        await db.Emails
            .Where(e => ids.Contains(e.Id) && (e.Status == EmailStatus.Queued || (e.Status == EmailStatus.Sending && e.LeasedUntil < now)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(e => e.Status, EmailStatus.Sending)
                .SetProperty(e => e.LeaseOwner, lease)
                .SetProperty(e => e.LeasedUntil, now + options.Value.Lease)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1), cancellationToken);

        // From here on the work belongs to the lease, not to the delivery request: if the transport
        // gives up waiting and aborts the request, a send that a provider already accepted must
        // still be recorded, or the email would be requeued after its lease and sent twice.
        using var leaseTime = new CancellationTokenSource(options.Value.Lease);
        cancellationToken = leaseTime.Token;

        // The ids not leased are already settled, canceled, rescheduled, or leased by a live worker that will settle them.
        var emails = await db.Emails.AsNoTracking().AsSplitQuery().Include(e => e.Attachments)
            .Where(e => ids.Contains(e.Id) && e.LeaseOwner == lease)
            .ToListAsync(cancellationToken);
        if (emails.Count == 0)
        {
            return steps;
        }

        var keys = await identity.KeysAsync(db, emails, cancellationToken);
        var deliveries = await Task.WhenAll(emails.Select(email => DeliverAsync(email, keys, now, cancellationToken)));
        await RecordAsync(lease, deliveries, cancellationToken);
        foreach (var delivery in deliveries.Where(d => d.Status == EmailStatus.Queued))
        {
            steps[delivery.Email.Id] = SendStep.RetryLater;
        }

        return steps;
    }

    /// <summary>What became of one email: sent or failed for good, or back to the queue (<see cref="EmailStatus.Queued"/>) for another attempt.</summary>
    private sealed record Delivery(Email Email, string Status, ChainOutcome Outcome);

    private async Task<Delivery> DeliverAsync(Email email, IReadOnlyDictionary<(string Organization, string Domain), SenderIdentity.DomainKey?> keys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ChainOutcome outcome;
        try
        {
            var message = MessageBuilder.Build(email, now);
            var envelopeSender = identity.Apply(email, message, keys);
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

        var status = outcome.Result.Outcome switch
        {
            ProviderOutcome.Accepted => EmailStatus.Sent,
            ProviderOutcome.Transient when email.Attempts < MaxAttempts => EmailStatus.Queued,
            _ => EmailStatus.Failed,
        };
        return new Delivery(email, status, outcome);
    }

    /// <summary>
    /// Settles the chunk in one transaction of three statements: one <c>UPDATE</c> for every email
    /// (an email given back to the queue only while this lease still holds it), one insert of
    /// their timeline steps, one of their events.
    /// </summary>
    private async Task RecordAsync(string lease, IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ids = deliveries.Select(d => d.Email.Id).ToArray();
        var statuses = deliveries.Select(d => d.Status).ToArray();
        var providerNames = deliveries.Select(d => d.Status == EmailStatus.Queued ? null : d.Outcome.Provider).ToArray();
        var providerMessageIds = deliveries.Select(d => d.Status == EmailStatus.Sent ? d.Outcome.Result.ProviderMessageId : null).ToArray();
        var errors = deliveries.Select(d => d.Status == EmailStatus.Sent ? null : d.Outcome.Result.Error).ToArray();
        var steps = new List<EmailTimelineEntry>();
        var events = new List<OutboxMessage>();
        foreach (var delivery in deliveries)
        {
            AddSteps(delivery, now, steps, events);
        }

        await db.InTransactionAsync(async token =>
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE emails AS e
                SET status = v.status,
                    provider = coalesce(v.provider, e.provider),
                    provider_message_id = v.provider_message_id,
                    sent_at = CASE WHEN v.status = 'sent' THEN {now} END,
                    last_error = v.error,
                    lease_owner = NULL,
                    leased_until = NULL
                FROM unnest({ids}, {statuses}, {providerNames}, {providerMessageIds}, {errors}) AS v(id, status, provider, provider_message_id, error)
                WHERE e.id = v.id AND (v.status <> 'queued' OR e.lease_owner = {lease})
                """, token);
            if (steps.Count > 0)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO email_timeline (email_id, status, occurred_at, detail)
                    SELECT * FROM unnest({steps.Select(t => t.EmailId).ToArray()}, {steps.Select(t => t.Status).ToArray()},
                                         {steps.Select(t => t.OccurredAt).ToArray()}, {steps.Select(t => t.Detail).ToArray()})
                    """, token);
            }

            await db.InsertAsync(events, token);
        }, cancellationToken);

        foreach (var (email, status, outcome) in deliveries.Where(d => d.Status != EmailStatus.Sent))
        {
            if (status == EmailStatus.Failed)
            {
                logger.LogWarning("Email {Id} failed after {Attempts} attempt(s): {Error}", email.Id, email.Attempts, outcome.Result.Error);
            }
            else
            {
                logger.LogInformation("Email {Id} attempt {Attempt} failed, will retry: {Error}", email.Id, email.Attempts, outcome.Result.Error);
            }
        }
    }

    /// <summary>
    /// The timeline steps and events of one outcome: each provider that failed before it, then —
    /// for a settled email — the outcome itself and its public event (and, for a test email, the
    /// simulator's provider events).
    /// </summary>
    private static void AddSteps(Delivery delivery, DateTimeOffset now, List<EmailTimelineEntry> steps, List<OutboxMessage> events)
    {
        var (email, status, outcome) = delivery;
        foreach (var (provider, attemptError) in outcome.FailedAttempts)
        {
            steps.Add(new EmailTimelineEntry { EmailId = email.Id, Status = EmailStatus.AttemptFailed, OccurredAt = now, Detail = $"{provider}: {attemptError}" });
        }

        if (status == EmailStatus.Queued)
        {
            return;
        }

        var result = outcome.Result;
        var error = status == EmailStatus.Sent ? null : result.Error;
        steps.Add(new EmailTimelineEntry { EmailId = email.Id, Status = status, OccurredAt = now, Detail = error ?? $"{outcome.Provider}: {result.ProviderMessageId}" });
        events.Add(LifecycleEvents.Message(email, status, now, now, error is null ? null : new Dictionary<string, string> { ["reason"] = error, ["provider"] = outcome.Provider }));
        if (email.Test && status == EmailStatus.Sent)
        {
            foreach (var simulated in SandboxSimulator.Events(email, result.ProviderMessageId ?? "", now))
            {
                events.Add(Outbox.Message(Topics.ProviderEvents, simulated, now));
            }
        }
    }
}
