using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;

namespace Send.EmailService.Sending;

/// <summary>
/// Releases scheduled emails when their time comes: each second, due emails move to
/// <c>queued</c> and their queue event is written in the same transaction (claimed with
/// <c>SKIP LOCKED</c>, so replicas share the work). The schedule lives in PostgreSQL, so it
/// survives restarts. It also requeues emails whose sending lease ran out (their worker died
/// after taking them), so no accepted email can stay in <c>sending</c> forever.
/// </summary>
public sealed class EmailScheduler(IServiceScopeFactory scopes, TimeProvider clock, IOptions<SendingOptions> options, ILogger<EmailScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ReleaseDueAsync(stoppingToken) > 0)
                {
                }

                await RequeueAbandonedAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or DbUpdateException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Scheduler could not reach its database: {Message}", ex.Message);
            }

            await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Emails a worker leased and never settled; the grace lets the transport's own redelivery go first.</summary>
    public async Task<int> RequeueAbandonedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmailDbContext>();
        return await db.InTransactionAsync(async token =>
        {
            var now = clock.GetUtcNow();
            var stale = now - options.Value.AbandonedGrace;
            var abandoned = await db.Emails
                .FromSqlInterpolated($"SELECT * FROM emails WHERE status = 'sending' AND leased_until < {stale} LIMIT 500 FOR UPDATE SKIP LOCKED")
                .ToListAsync(token);
            foreach (var email in abandoned)
            {
                email.Status = EmailStatus.Queued;
                email.LeaseOwner = null;
                email.LeasedUntil = null;
                db.Timeline.Add(new EmailTimelineEntry { EmailId = email.Id, Status = EmailStatus.Queued, OccurredAt = now, Detail = "requeued: its worker stopped while sending" });
                db.Enqueue(email.Priority ? Topics.EmailSendPriority : Topics.EmailSend,
                    new EmailQueued(email.Id, email.OrganizationId, email.Priority, email.Test, now), now);
            }

            await db.SaveChangesAsync(token);
            if (abandoned.Count > 0)
            {
                logger.LogWarning("Requeued {Count} emails abandoned by a stopped worker", abandoned.Count);
            }

            return abandoned.Count;
        }, cancellationToken);
    }

    public async Task<int> ReleaseDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmailDbContext>();
        return await db.InTransactionAsync(async token =>
        {
            var now = clock.GetUtcNow();
            var due = await db.Emails
                .FromSqlInterpolated($"SELECT * FROM emails WHERE status = 'scheduled' AND scheduled_at <= {now} ORDER BY scheduled_at LIMIT 500 FOR UPDATE SKIP LOCKED")
                .ToListAsync(token);
            foreach (var email in due)
            {
                email.Status = EmailStatus.Queued;
                db.Timeline.Add(new EmailTimelineEntry { EmailId = email.Id, Status = EmailStatus.Queued, OccurredAt = now });
                db.Enqueue(email.Priority ? Topics.EmailSendPriority : Topics.EmailSend,
                    new EmailQueued(email.Id, email.OrganizationId, email.Priority, email.Test, now), now);
            }

            await db.SaveChangesAsync(token);
            return due.Count;
        }, cancellationToken);
    }
}
