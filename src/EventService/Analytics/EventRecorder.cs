using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.Contracts.Events;
using Send.EventService.Data;
using Send.EventService.Model;
using Send.EventService.Reputation;

namespace Send.EventService.Analytics;

/// <summary>
/// Records each public email event once: the event log, the hourly and daily rollups (unique
/// opens and clicks counted on an email's first), then the reputation check, all in the
/// transaction that marks the event processed, so a redelivery counts nothing twice.
/// </summary>
public sealed class EventRecorder(EventsDbContext db, ReputationMonitor reputation, TimeProvider clock)
{
    public const string Consumer = "analytics";

    public async Task RecordAsync(string eventId, EmailLifecycleEvent received, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.InTransactionAsync(async token =>
        {
            if (!await db.TryBeginAsync(Consumer, eventId, now, token))
            {
                return;
            }

            var details = received.Details ?? new Dictionary<string, string>();
            db.EmailEvents.Add(new EmailEventRecord
            {
                Id = Ids.New("evt"), OrganizationId = received.OrganizationId, EmailId = received.EmailId, Type = received.Event,
                OccurredAt = received.OccurredAt, Recipient = details.GetValueOrDefault("recipient"), Details = new Dictionary<string, string>(details),
            });
            await db.SaveChangesAsync(token);

            var counters = RollupCounters.For(received.Event, details);
            if (received.Event == "email.opened" && await FirstAsync(received, "first_opened_at", token))
            {
                counters.Add("unique_opens");
            }
            else if (received.Event == "email.clicked" && await FirstAsync(received, "first_clicked_at", token))
            {
                counters.Add("unique_clicks");
            }

            if (counters.Count > 0)
            {
                await AddAsync(received.OrganizationId, AnalyticsRollup.Hour, received.OccurredAt, counters, token);
                await AddAsync(received.OrganizationId, AnalyticsRollup.Day, received.OccurredAt, counters, token);
                await reputation.CheckAsync(received.OrganizationId, received.Event, now, token);
            }
        }, cancellationToken);
    }

    /// <summary>True when this is the email's first open (or click); the column name is one of two constants.</summary>
    private async Task<bool> FirstAsync(EmailLifecycleEvent received, string column, CancellationToken cancellationToken)
    {
        var sql = $"""
            INSERT INTO email_engagement (organization_id, email_id, {column}) VALUES (@p0, @p1, @p2)
            ON CONFLICT (organization_id, email_id) DO UPDATE SET {column} = excluded.{column} WHERE email_engagement.{column} IS NULL
            """;
        return await db.Database.ExecuteSqlRawAsync(sql, [received.OrganizationId, received.EmailId, received.OccurredAt], cancellationToken) == 1;
    }

    private async Task AddAsync(string organizationId, string granularity, DateTimeOffset at, List<string> columns, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns);
        var ones = string.Join(", ", columns.Select(_ => "1"));
        var increments = string.Join(", ", columns.Select(c => $"{c} = analytics_rollups.{c} + 1"));
        // Column names come from RollupCounters' constants only; values are parameters.
        var sql = $"""
            INSERT INTO analytics_rollups (organization_id, granularity, bucket_start, {names}) VALUES (@p0, @p1, @p2, {ones})
            ON CONFLICT (organization_id, granularity, bucket_start) DO UPDATE SET {increments}
            """;
        await db.Database.ExecuteSqlRawAsync(sql, [organizationId, granularity, RollupCounters.BucketStart(at, granularity)], cancellationToken);
    }
}
