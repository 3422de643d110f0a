using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Send.BuildingBlocks.Data;
using Send.WebhookService.Data;

namespace Send.WebhookService.Services;

/// <summary>
/// Settles many successful attempts in one transaction of three statements (the attempt rows,
/// the deliveries, each endpoint's health once): under load most attempts succeed, and settling
/// them one transaction each made the database, and the endpoint rows' locks, the bottleneck.
/// Failures go through <see cref="AttemptRecorder"/>, one by one, for the schedule and auto-disable.
/// </summary>
public sealed class SuccessRecorder(WebhooksDbContext db)
{
    public async Task RecordAsync(IReadOnlyList<(ClaimedDelivery Delivery, AttemptResult Result)> batch, CancellationToken cancellationToken)
    {
        var ids = batch.Select(b => b.Delivery.Id).ToArray();
        var at = batch.Select(b => b.Result.At).ToArray();
        var done = batch.Select(b => b.Result.At.AddMilliseconds(b.Result.LatencyMs)).ToArray();
        var endpoints = batch.GroupBy(b => b.Delivery.EndpointId).Select(g => (Id: g.Key, Last: g.Max(b => b.Result.At.AddMilliseconds(b.Result.LatencyMs)))).ToList();
        await db.InTransactionAsync(async token =>
        {
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO webhook_attempts (delivery_id, at, status_code, latency_ms, response)
                SELECT * FROM unnest(@ids, @at, @codes, @latencies, @responses)
                """, [SqlArrays.Parameter("ids", ids, NpgsqlDbType.Text), SqlArrays.Parameter("at", at, NpgsqlDbType.TimestampTz),
                    SqlArrays.Parameter("codes", batch.Select(b => b.Result.StatusCode ?? 0), NpgsqlDbType.Integer),
                    SqlArrays.Parameter("latencies", batch.Select(b => b.Result.LatencyMs), NpgsqlDbType.Integer),
                    SqlArrays.Parameter("responses", batch.Select(b => b.Result.Response), NpgsqlDbType.Text)], token);
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE webhook_deliveries d SET status = 'delivered', attempts = u.attempts, delivered_at = u.done
                FROM unnest(@ids, @attempts, @done) AS u(id, attempts, done) WHERE d.id = u.id
                """, [SqlArrays.Parameter("ids", ids, NpgsqlDbType.Text), SqlArrays.Parameter("attempts", batch.Select(b => b.Delivery.Attempts + 1), NpgsqlDbType.Integer),
                    SqlArrays.Parameter("done", done, NpgsqlDbType.TimestampTz)], token);
            // Written only when it changes something: once per endpoint per batch, not per delivery. (Replicas settling the same endpoint at once may deadlock; the execution strategy retries that.)
            await db.Database.ExecuteSqlRawAsync("""
                UPDATE webhook_endpoints w SET consecutive_failures = 0, failing_since = NULL, last_delivered_at = u.last
                FROM (SELECT * FROM unnest(@endpoints, @last) AS x(id, last) ORDER BY id) u
                WHERE w.id = u.id AND (w.consecutive_failures <> 0 OR w.last_delivered_at IS NULL OR w.last_delivered_at < u.last)
                """, [SqlArrays.Parameter("endpoints", endpoints.Select(e => e.Id), NpgsqlDbType.Text), SqlArrays.Parameter("last", endpoints.Select(e => e.Last), NpgsqlDbType.TimestampTz)], token);
        }, cancellationToken);
    }
}
