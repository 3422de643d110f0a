using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
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
        var requeued = await QueueAsync((db, now) => db.Emails.FromSqlInterpolated(
                $"SELECT * FROM emails WHERE status = 'sending' AND leased_until < {now - options.Value.AbandonedGrace} LIMIT 500 FOR UPDATE SKIP LOCKED"),
            "requeued: its worker stopped while sending", cancellationToken);
        if (requeued > 0)
        {
            logger.LogWarning("Requeued {Count} emails abandoned by a stopped worker", requeued);
        }

        return requeued;
    }

    public Task<int> ReleaseDueAsync(CancellationToken cancellationToken) =>
        QueueAsync((db, now) => db.Emails.FromSqlInterpolated(
            $"SELECT * FROM emails WHERE status = 'scheduled' AND scheduled_at <= {now} ORDER BY scheduled_at LIMIT 500 FOR UPDATE SKIP LOCKED"),
            detail: null, cancellationToken);

    /// <summary>Claims the emails <paramref name="select"/> finds and puts each back on the queue, in one transaction.</summary>
    private async Task<int> QueueAsync(Func<EmailDbContext, DateTimeOffset, IQueryable<Email>> select, string? detail, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmailDbContext>();
        return await db.InTransactionAsync(async token =>
        {
            var now = clock.GetUtcNow();
            var emails = await select(db, now).ToListAsync(token);
            foreach (var email in emails)
            {
                if (email.Status == EmailStatus.Scheduled)
                {
                    LifecycleEvents.Announce(db, email, EmailStatus.Queued, now, now);
                }

                email.Status = EmailStatus.Queued;
                email.LeaseOwner = null;
                email.LeasedUntil = null;
                db.Timeline.Add(new EmailTimelineEntry { EmailId = email.Id, Status = EmailStatus.Queued, OccurredAt = now, Detail = detail });
                SendQueueEvents.Announce(db, email, now);
            }

            await db.SaveChangesAsync(token);
            return emails.Count;
        }, cancellationToken);
    }
}
