using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.WebhookService.Data;
using Send.WebhookService.Model;

namespace Send.WebhookService.Services;

/// <summary>
/// Settles an attempt in one transaction: the attempt row, the delivery (delivered, retried per
/// the schedule, or failed for good) and the endpoint's health. Endpoint counters are updated in
/// single statements, so attempts finishing at once on several replicas count correctly.
/// </summary>
public sealed class AttemptRecorder(WebhooksDbContext db, IOptions<WebhookOptions> options, ILogger<AttemptRecorder> logger)
{
    public async Task RecordAsync(ClaimedDelivery delivery, AttemptResult result, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = result.At.AddMilliseconds(result.LatencyMs);
        var attempts = delivery.Attempts + 1;
        await db.InTransactionAsync(async token =>
        {
            db.Attempts.Add(new WebhookAttempt
            {
                DeliveryId = delivery.Id, At = result.At, StatusCode = result.StatusCode, LatencyMs = result.LatencyMs, Error = result.Error, Response = result.Response,
            });
            await db.SaveChangesAsync(token);
            var deliveries = db.Deliveries.Where(d => d.Id == delivery.Id);
            if (result.Succeeded)
            {
                await deliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Delivered).SetProperty(d => d.Attempts, attempts).SetProperty(d => d.DeliveredAt, now), token);
                await db.Endpoints.Where(w => w.Id == delivery.EndpointId).ExecuteUpdateAsync(s => s
                    .SetProperty(w => w.ConsecutiveFailures, 0).SetProperty(w => w.FailingSince, (DateTimeOffset?)null).SetProperty(w => w.LastDeliveredAt, now), token);
                return;
            }

            var final = attempts > settings.Schedule.Count;
            var next = final ? now : now + Delay(settings, attempts);
            await deliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, final ? DeliveryStatus.Failed : DeliveryStatus.Pending)
                .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.NextAttemptAt, next), token);
            await FailedAsync(delivery.EndpointId, result, now, settings, token);
        }, cancellationToken);
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1, stretched by up to the jitter fraction.</summary>
    public static TimeSpan Delay(WebhookOptions settings, int attempts) =>
        settings.Schedule[attempts - 1] * (1 + (Random.Shared.NextDouble() * settings.Jitter));

    private async Task FailedAsync(string endpointId, AttemptResult result, DateTimeOffset now, WebhookOptions settings, CancellationToken cancellationToken)
    {
        var gone = result.StatusCode == 410;
        var reason = gone
            ? "The endpoint answered 410 Gone."
            : $"{settings.DisableAfterFailures} or more consecutive failed attempts over {settings.DisableAfterFailingFor.TotalHours:0.##} hours; the last: {result.Error ?? $"HTTP {result.StatusCode}"}.";
        // One statement counts the failure and, when the run is long enough (or the endpoint is gone), disables the endpoint with why.
        var disabled = await db.Database.SqlQueryRaw<string?>("""
            UPDATE webhook_endpoints SET
                consecutive_failures = consecutive_failures + 1,
                failing_since = coalesce(failing_since, @p1),
                last_failed_at = @p1,
                status = CASE WHEN status = 'enabled' AND (@p2 OR (consecutive_failures + 1 >= @p3 AND coalesce(failing_since, @p1) <= @p4)) THEN 'disabled' ELSE status END,
                disabled_reason = CASE WHEN status = 'enabled' AND (@p2 OR (consecutive_failures + 1 >= @p3 AND coalesce(failing_since, @p1) <= @p4)) THEN @p5 ELSE disabled_reason END,
                disabled_at = CASE WHEN status = 'enabled' AND (@p2 OR (consecutive_failures + 1 >= @p3 AND coalesce(failing_since, @p1) <= @p4)) THEN @p1 ELSE disabled_at END
            WHERE id = @p0
            RETURNING CASE WHEN status = 'disabled' AND disabled_at = @p1 THEN disabled_reason END AS "Value"
            """, endpointId, now, gone, settings.DisableAfterFailures, now - settings.DisableAfterFailingFor, reason).ToListAsync(cancellationToken);
        if (disabled is [{ } why])
        {
            // Same transaction as the update: the history entry and the outbox event exist exactly when the endpoint was disabled.
            var organizationId = await db.Endpoints.Where(w => w.Id == endpointId).Select(w => w.OrganizationId).SingleAsync(cancellationToken);
            StatusChanges.Record(db, organizationId, endpointId, StatusChanges.Disabled, automatic: true, why, now);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("Webhook {EndpointId} disabled: {Reason}", endpointId, why);
        }
    }
}
