using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Outbound;
using Send.BuildingBlocks.Paging;
using Send.WebhookService.Data;
using Send.WebhookService.Model;
using Send.WebhookService.Services;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

namespace Send.WebhookService.Apis;

/// <summary>
/// <c>/v1/webhooks</c>: an organization's endpoints (created with a signing secret shown once),
/// changed, enabled or disabled, deleted, their secret rotated, a test event sent, and every
/// delivery with its attempts. Another organization's webhook is answered 404, as if absent.
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/webhooks").WithTags("Webhooks");
        api.MapPost("/", Create).WithSummary("Register an endpoint; the answer holds its signing secret, shown only here");
        api.MapGet("/", List).WithSummary("List endpoints (cursor)");
        api.MapGet("/{id}", Get).WithSummary("One endpoint, with its health");
        api.MapPatch("/{id}", Update).WithSummary("Change the URL, the events, or enable / disable");
        api.MapDelete("/{id}", Delete).WithSummary("Delete an endpoint and its deliveries");
        api.MapPost("/{id}/rotate-secret", RotateSecret).WithSummary("A new signing secret; the old one also signs for 24 hours");
        api.MapPost("/{id}/test", Test).WithSummary("Send a webhook.test event");
        api.MapGet("/{id}/deliveries", Deliveries).WithSummary("Deliveries to this endpoint, newest first, each with its attempts (cursor)");
        return app;
    }

    public static async Task<Results<Created<WebhookView>, ProblemHttpResult>> Create(
        WebhookRequest? request, Caller caller, WebhooksDbContext db, SecretOpener secrets, IOptions<OutboundOptions> outbound, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var field = request?.Endpoint is null && request?.Url is not null ? "url" : "endpoint";
        var url = WebhookValidation.Url(request?.Endpoint ?? request?.Url, outbound.Value, errors, field);
        var events = WebhookValidation.Events(request?.Events, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var now = clock.GetUtcNow();
        var id = Ids.New("wh");
        var secret = WebhookSigner.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = id, OrganizationId = caller.RequiredOrganizationId, Url = url!, Events = events!, SigningSecret = secrets.Seal(id, secret), CreatedAt = now, UpdatedAt = now,
        };
        db.Endpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/webhooks/{id}", WebhookView.Of(endpoint, secret));
    }

    public static async Task<Results<Ok<CursorPage<WebhookView>>, ProblemHttpResult>> List(
        Caller caller, WebhooksDbContext db, int? limit, string? after, string? before, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await Owned(db, caller).AsNoTracking().ToCursorPageAsync(page, w => w.Id, w => WebhookView.Of(w), cancellationToken));
    }

    public static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Get(string id, Caller caller, WebhooksDbContext db, CancellationToken cancellationToken) =>
        await Owned(db, caller).AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken) is { } found ? TypedResults.Ok(WebhookView.Of(found)) : NotFound(id);

    public static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Update(
        string id, WebhookRequest? request, Caller caller, WebhooksDbContext db, IOptions<OutboundOptions> outbound, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var newUrl = request?.Endpoint ?? request?.Url;
        var url = newUrl is null ? null : WebhookValidation.Url(newUrl, outbound.Value, errors, request!.Endpoint is null ? "url" : "endpoint");
        var events = request?.Events is null ? null : WebhookValidation.Events(request.Events, errors);
        if (request?.Status is { } status && !WebhookStatus.All.Contains(status))
        {
            errors["status"] = ["enabled or disabled."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var endpoint = await Owned(db, caller).FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound(id);
        }

        var now = clock.GetUtcNow();
        endpoint.Url = url ?? endpoint.Url;
        endpoint.Events = events ?? endpoint.Events;
        if (request?.Status is { } newStatus && newStatus != endpoint.Status)
        {
            endpoint.Status = newStatus;
            // Enabling starts a fresh run: the failures that disabled it are history, and its pending deliveries resume.
            endpoint.DisabledReason = null;
            endpoint.DisabledAt = newStatus == WebhookStatus.Disabled ? now : null;
            endpoint.ConsecutiveFailures = 0;
            endpoint.FailingSince = null;
        }

        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WebhookView.Of(endpoint));
    }

    public static async Task<Results<Ok<WebhookDeleted>, ProblemHttpResult>> Delete(string id, Caller caller, WebhooksDbContext db, CancellationToken cancellationToken) =>
        await Owned(db, caller).Where(w => w.Id == id).ExecuteDeleteAsync(cancellationToken) == 1 ? TypedResults.Ok(new WebhookDeleted("webhook", id, true)) : NotFound(id);

    public static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> RotateSecret(
        string id, Caller caller, WebhooksDbContext db, SecretOpener secrets, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var endpoint = await Owned(db, caller).FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound(id);
        }

        var now = clock.GetUtcNow();
        var secret = WebhookSigner.NewSecret();
        // Receivers switch over at their own pace: the old secret signs beside the new one for the overlap.
        endpoint.PreviousSigningSecret = endpoint.SigningSecret;
        endpoint.PreviousSecretUntil = now + options.Value.RotationOverlap;
        endpoint.SigningSecret = secrets.Seal(id, secret);
        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(WebhookView.Of(endpoint, secret));
    }

    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> Test(string id, Caller caller, WebhooksDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var endpoint = await Owned(db, caller).AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound(id);
        }

        var now = clock.GetUtcNow();
        var delivery = new WebhookDelivery
        {
            Id = Ids.New("msg"), EndpointId = id, OrganizationId = endpoint.OrganizationId, EventId = Ids.New("test"), Type = WebhookEventTypes.Test,
            Payload = WebhookPayloads.Test(id, now), NextAttemptAt = now, CreatedAt = now,
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted($"/v1/webhooks/{id}/deliveries", DeliveryView.Of(delivery));
    }

    public static async Task<Results<Ok<CursorPage<DeliveryView>>, ProblemHttpResult>> Deliveries(
        string id, Caller caller, WebhooksDbContext db, int? limit, string? after, string? before, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        if (!await Owned(db, caller).AnyAsync(w => w.Id == id, cancellationToken))
        {
            return NotFound(id);
        }

        var deliveries = db.Deliveries.AsNoTracking().Include(d => d.AttemptLog).Where(d => d.EndpointId == id);
        return TypedResults.Ok(await deliveries.ToCursorPageAsync(page, d => d.Id, DeliveryView.Of, cancellationToken));
    }

    private static IQueryable<WebhookEndpoint> Owned(WebhooksDbContext db, Caller caller)
    {
        var organizationId = caller.RequiredOrganizationId;
        return db.Endpoints.Where(w => w.OrganizationId == organizationId);
    }

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"Webhook {id} was not found.");
}
