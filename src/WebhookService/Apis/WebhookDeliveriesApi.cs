using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Paging;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;
using Send.WebhookService.Data;
using Send.WebhookService.Model;
using Send.WebhookService.Services;

namespace Send.WebhookService.Apis;

/// <summary>
/// What an endpoint received and what happened to it: a test event, the deliveries with their
/// attempts, a replay of one delivery, and the history of its being disabled and enabled.
/// Routes are mapped in <see cref="WebhooksApi"/>; another organization's ids answer 404.
/// </summary>
public static class WebhookDeliveriesApi
{
    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> Test(
        string id, Caller caller, WebhooksDbContext db, DeliveryWakeUp wakeUp, TimeProvider clock, CancellationToken cancellationToken)
    {
        var endpoint = await WebhooksApi.Owned(db, caller).AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return WebhooksApi.NotFound(id);
        }

        var now = clock.GetUtcNow();
        var delivery = new WebhookDelivery
        {
            Id = Ids.New("msg"), EndpointId = id, OrganizationId = endpoint.OrganizationId, EventId = Ids.New("test"), Type = WebhookEventTypes.Test,
            Payload = WebhookPayloads.Test(id, now), NextAttemptAt = now, CreatedAt = now,
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        wakeUp.Wake();
        return TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", DeliveryView.Of(delivery));
    }

    public static async Task<Results<Ok<CursorPage<DeliveryView>>, ProblemHttpResult>> Deliveries(
        string id, Caller caller, WebhooksDbContext db, int? limit, string? after, string? before, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        if (!await WebhooksApi.Owned(db, caller).AnyAsync(w => w.Id == id, cancellationToken))
        {
            return WebhooksApi.NotFound(id);
        }

        var deliveries = db.Deliveries.AsNoTracking().Include(d => d.AttemptLog).Where(d => d.EndpointId == id);
        return TypedResults.Ok(await deliveries.ToCursorPageAsync(page, d => d.Id, DeliveryView.Of, cancellationToken));
    }

    /// <summary>
    /// Makes the delivery due now, whatever it came to (delivered, failed, waiting for a retry):
    /// the same <c>msg_…</c> id and body, so a receiver that already has it can tell. A replay that
    /// fails is retried from where its schedule stood. Refused with 409 while the endpoint is
    /// disabled (it would only wait) and while an attempt is in flight.
    /// </summary>
    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> Replay(
        string id, string deliveryId, Caller caller, WebhooksDbContext db, DeliveryWakeUp wakeUp, TimeProvider clock, CancellationToken cancellationToken)
    {
        var endpoint = await WebhooksApi.Owned(db, caller).AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return WebhooksApi.NotFound(id);
        }

        if (endpoint.Status != WebhookStatus.Enabled)
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict,
                $"Webhook {id} is disabled{(endpoint.DisabledReason is { } why ? $" ({why})" : "")}; enable it (PATCH status: enabled) before replaying a delivery.");
        }

        var now = clock.GetUtcNow();
        var deliveries = db.Deliveries.Where(d => d.Id == deliveryId && d.EndpointId == id);
        var queued = await deliveries.Where(d => d.Status != DeliveryStatus.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, now), cancellationToken);
        if (queued == 0)
        {
            return await deliveries.AnyAsync(cancellationToken)
                ? Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Delivery {deliveryId} is being attempted right now; replay it once the attempt is recorded.")
                : Problems.NotFound($"Delivery {deliveryId} of webhook {id} was not found.");
        }

        wakeUp.Wake();
        var replayed = await deliveries.AsNoTracking().Include(d => d.AttemptLog).SingleAsync(cancellationToken);
        return TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", DeliveryView.Of(replayed));
    }

    public static async Task<Results<Ok<WebhookHistory>, ProblemHttpResult>> History(string id, Caller caller, WebhooksDbContext db, CancellationToken cancellationToken)
    {
        if (!await WebhooksApi.Owned(db, caller).AnyAsync(w => w.Id == id, cancellationToken))
        {
            return WebhooksApi.NotFound(id);
        }

        var entries = await db.EndpointEvents.AsNoTracking().Where(e => e.EndpointId == id).OrderByDescending(e => e.Id).Take(WebhookHistory.Limit)
            .Select(e => new WebhookHistoryEntry("webhook_event", e.Type, e.Automatic, e.Reason, e.At)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new WebhookHistory("list", entries));
    }
}
