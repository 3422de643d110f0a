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
        api.MapPut("/{id}", Replace).WithSummary("Replace the URL and the events (required, as on create) and the status (enabled when left out)");
        api.MapDelete("/{id}", Delete).WithSummary("Delete an endpoint and its deliveries");
        api.MapPost("/{id}/rotate-secret", RotateSecret).WithSummary("A new signing secret; the old one also signs for 24 hours");
        api.MapGet("/{id}/history", WebhookDeliveriesApi.History).WithSummary("When and why the endpoint was disabled or enabled, newest first");
        api.MapPost("/{id}/test", WebhookDeliveriesApi.Test).WithSummary("Send a webhook.test event");
        api.MapGet("/{id}/deliveries", WebhookDeliveriesApi.Deliveries).WithSummary("Deliveries to this endpoint, newest first, each with its attempts (cursor)");
        api.MapPost("/{id}/deliveries/{deliveryId}/replay", WebhookDeliveriesApi.Replay).WithSummary("Send a delivery again now, with the same webhook-id (409 while the endpoint is disabled)");
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
        var status = WebhookValidation.Status(request?.Status, errors);
        return errors.Count > 0 ? Problems.Validation(errors) : await ChangeAsync(id, url, events, status, caller, db, clock, cancellationToken);
    }

    /// <summary>PUT: the whole endpoint as on create; a status left out means enabled, as a new endpoint is.</summary>
    public static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> Replace(
        string id, WebhookRequest? request, Caller caller, WebhooksDbContext db, IOptions<OutboundOptions> outbound, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var field = request?.Endpoint is null && request?.Url is not null ? "url" : "endpoint";
        var url = WebhookValidation.Url(request?.Endpoint ?? request?.Url, outbound.Value, errors, field);
        var events = WebhookValidation.Events(request?.Events, errors);
        var status = WebhookValidation.Status(request?.Status, errors) ?? WebhookStatus.Enabled;
        return errors.Count > 0 ? Problems.Validation(errors) : await ChangeAsync(id, url, events, status, caller, db, clock, cancellationToken);
    }

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> ChangeAsync(
        string id, string? url, List<string>? events, string? status, Caller caller, WebhooksDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var endpoint = await Owned(db, caller).FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound(id);
        }

        var now = clock.GetUtcNow();
        endpoint.Url = url ?? endpoint.Url;
        endpoint.Events = events ?? endpoint.Events;
        if (status is not null && status != endpoint.Status)
        {
            endpoint.Status = status;
            // Enabling starts a fresh run: the failures that disabled it are history (kept in webhook_endpoint_events), and its pending deliveries resume.
            endpoint.DisabledReason = null;
            endpoint.DisabledAt = status == WebhookStatus.Disabled ? now : null;
            endpoint.ConsecutiveFailures = 0;
            endpoint.FailingSince = null;
            var disabled = status == WebhookStatus.Disabled;
            StatusChanges.Record(db, endpoint.OrganizationId, id, disabled ? StatusChanges.Disabled : StatusChanges.Enabled, automatic: false,
                disabled ? "Disabled through the API." : "Enabled through the API.", now);
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

    internal static IQueryable<WebhookEndpoint> Owned(WebhooksDbContext db, Caller caller)
    {
        var organizationId = caller.RequiredOrganizationId;
        return db.Endpoints.Where(w => w.OrganizationId == organizationId);
    }

    internal static ProblemHttpResult NotFound(string id) => Problems.NotFound($"Webhook {id} was not found.");
}
