using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.Contracts;

namespace Send.BuildingBlocks.Messaging;

/// <summary>
/// Publishes committed outbox messages and marks them published. Each batch is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so any number of replicas relay side by side without
/// publishing a message twice under normal operation; a crash between publishing and marking
/// republishes it (at-least-once), and consumers absorb that by the CloudEvent id. A failed
/// publish backs off exponentially per message and never blocks the messages after it. Messages
/// of priority topics (named <c>…-priority</c>) are relayed before older ordinary ones.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IEventPublisher publisher,
    IHostEnvironment environment,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextCleanup = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (clock.GetUtcNow() >= nextCleanup)
            {
                nextCleanup = clock.GetUtcNow() + options.Value.CleanupInterval;
                await CleanUpAsync(stoppingToken);
            }

            int published;
            try
            {
                published = await RelayBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (IsDatabaseUnavailable(ex) && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Outbox relay could not reach its database: {Message}", ex.Message);
                published = 0;
            }

            if (published < options.Value.BatchSize)
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
        }
    }

    private async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var (outbox, inbox) = await scope.ServiceProvider.GetRequiredService<TContext>()
                .DeleteOlderThanAsync(clock.GetUtcNow() - options.Value.Retention, cancellationToken);
            if (outbox + inbox > 0)
            {
                logger.LogInformation("Removed {Outbox} published outbox messages and {Inbox} processed-event marks", outbox, inbox);
            }
        }
        catch (Exception ex) when (IsDatabaseUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Outbox cleanup skipped: {Message}", ex.Message);
        }
    }

    /// <summary>Claims one batch, publishes it, records the outcome; returns how many were published.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.InTransactionAsync(async token =>
        {
            var now = clock.GetUtcNow();
            var batch = await db.Set<OutboxMessage>()
                .FromSqlInterpolated($"""
                    SELECT * FROM outbox_messages
                    WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= {now})
                    ORDER BY topic LIKE {"%" + Topics.PrioritySuffix} DESC, created_at
                    LIMIT {options.Value.BatchSize}
                    FOR UPDATE SKIP LOCKED
                    """)
                // Untracked: a published row is marked by one UPDATE below, so tracking the whole
                // batch would only make SaveChanges scan it. Only a failed one is attached.
                .AsNoTracking()
                .ToListAsync(token);

            // All of the batch is handed to the publisher at once (Redis pipelines them; Dapr
            // takes them concurrently), then each outcome is recorded on its own row.
            var outcomes = await Task.WhenAll(batch.Select(async message =>
            {
                try
                {
                    await publisher.PublishAsync(ToCloudEvent(message), token);
                    return (message, Error: (Exception?)null);
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    return (message, Error: ex);
                }
            }));

            // The published rows are marked by one statement, not an UPDATE each.
            var publishedIds = outcomes.Where(o => o.Error is null).Select(o => o.message.Id).ToList();
            if (publishedIds.Count > 0)
            {
                var publishedAt = clock.GetUtcNow();
                await db.Set<OutboxMessage>().Where(m => publishedIds.Contains(m.Id))
                    .ExecuteUpdateAsync(set => set.SetProperty(m => m.PublishedAt, publishedAt), token);
            }

            foreach (var (message, error) in outcomes)
            {
                if (error is null)
                {
                    continue;
                }

                db.Attach(message);
                message.Attempts++;
                message.LastError = error.Message.Length > 500 ? error.Message[..500] : error.Message;
                message.NextAttemptAt = now + Backoff(message.Attempts);
                logger.LogWarning("Publishing {Type} {Id} failed (attempt {Attempt}): {Message}", message.Type, message.Id, message.Attempts, error.Message);
            }

            if (publishedIds.Count < batch.Count)
            {
                await db.SaveChangesAsync(token);
            }

            return publishedIds.Count;
        }, cancellationToken);
    }

    /// <summary>Only an unreachable database is waited out; anything else is a bug and must surface.</summary>
    private static bool IsDatabaseUnavailable(Exception ex) =>
        ex is DbUpdateException or Npgsql.NpgsqlException or Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException or TimeoutException
        || ex.InnerException is Npgsql.NpgsqlException or System.Net.Sockets.SocketException;

    private CloudEvent ToCloudEvent(OutboxMessage message) =>
        new(message.Id.ToString(), environment.ApplicationName, message.Type, message.CreatedAt,
            JsonDocument.Parse(message.Payload).RootElement, message.Topic)
        {
            TraceParent = message.TraceParent,
        };

    private TimeSpan Backoff(int attempts)
    {
        var delay = options.Value.BaseBackoff * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay < options.Value.MaxBackoff ? delay : options.Value.MaxBackoff;
    }
}
