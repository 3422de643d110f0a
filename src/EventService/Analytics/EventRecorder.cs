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
/// Records public email events once: the event log, the hourly and daily rollups (unique opens
/// and clicks counted on an email's first), then the reputation check, all in the transaction
/// that marks the events processed, so a redelivery counts nothing twice. Events come in bulk
/// (up to a hundred per delivery): the counters of a batch are summed first and each bucket is
/// written once, which is what keeps analytics cheap next to sending.
/// </summary>
public sealed class EventRecorder(EventsDbContext db, ReputationMonitor reputation, TimeProvider clock)
{
    public const string Consumer = "analytics";

    public async Task RecordAsync(IReadOnlyList<(string EventId, EmailLifecycleEvent Event)> batch, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.InTransactionAsync(async token =>
        {
            var increments = new Dictionary<(string Organization, string Granularity, DateTimeOffset Bucket), Dictionary<string, long>>();
            var checks = new HashSet<(string Organization, string Event)>();
            // One statement marks the whole batch; an id delivered twice in it is recorded once.
            var firstSeen = (await db.TryBeginManyAsync(Consumer, batch.Select(b => b.EventId), now, token)).ToHashSet(StringComparer.Ordinal);
            foreach (var (eventId, received) in batch)
            {
                if (!firstSeen.Remove(eventId))
                {
                    continue;
                }

                var details = received.Details ?? new Dictionary<string, string>();
                db.EmailEvents.Add(new EmailEventRecord
                {
                    Id = Ids.New("evt"), OrganizationId = received.OrganizationId, EmailId = received.EmailId, Type = received.Event,
                    OccurredAt = received.OccurredAt, Recipient = details.GetValueOrDefault("recipient"), Details = new Dictionary<string, string>(details),
                });

                var counters = RollupCounters.For(received.Event, details);
                if (received.Event == "email.opened" && await FirstAsync(received, "first_opened_at", token))
                {
                    counters.Add("unique_opens");
                }
                else if (received.Event == "email.clicked" && await FirstAsync(received, "first_clicked_at", token))
                {
                    counters.Add("unique_clicks");
                }

                foreach (var granularity in new[] { AnalyticsRollup.Hour, AnalyticsRollup.Day })
                {
                    var key = (received.OrganizationId, granularity, RollupCounters.BucketStart(received.OccurredAt, granularity));
                    var sums = increments.TryGetValue(key, out var existing) ? existing : increments[key] = [];
                    foreach (var counter in counters)
                    {
                        sums[counter] = sums.GetValueOrDefault(counter) + 1;
                    }
                }

                if (counters.Count > 0)
                {
                    checks.Add((received.OrganizationId, received.Event));
                }
            }

            await db.SaveChangesAsync(token);
            foreach (var ((organization, granularity, bucket), sums) in increments.Where(i => i.Value.Count > 0))
            {
                await AddAsync(organization, granularity, bucket, sums, token);
            }

            foreach (var (organization, eventType) in checks)
            {
                await reputation.CheckAsync(organization, eventType, now, token);
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

    private async Task AddAsync(string organizationId, string granularity, DateTimeOffset bucket, Dictionary<string, long> sums, CancellationToken cancellationToken)
    {
        // Column names come from RollupCounters' constants only; every value is a parameter.
        var columns = sums.Keys.ToList();
        var names = string.Join(", ", columns);
        var values = string.Join(", ", columns.Select((_, i) => $"@p{i + 3}"));
        var increments = string.Join(", ", columns.Select(c => $"{c} = analytics_rollups.{c} + excluded.{c}"));
        var sql = $"""
            INSERT INTO analytics_rollups (organization_id, granularity, bucket_start, {names}) VALUES (@p0, @p1, @p2, {values})
            ON CONFLICT (organization_id, granularity, bucket_start) DO UPDATE SET {increments}
            """;
        object[] parameters = [organizationId, granularity, bucket, .. columns.Select(c => (object)sums[c])];
        await db.Database.ExecuteSqlRawAsync(sql, parameters, cancellationToken);
    }
}
