using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Paging;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.EmailService.Sending;
using Send.EmailService.Templates;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;

namespace Send.EmailService.Apis;

/// <summary>
/// <c>/v1/emails</c>: accept (check everything, store the email, its attachments, the first
/// timeline step and the queue event in one transaction) and read back. A rejected request
/// writes nothing.
/// </summary>
public static class EmailsApi
{
    public static IEndpointRouteBuilder MapEmailsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/emails").WithTags("Emails");
        api.MapPost("/", SendEmail).WithSummary("Send an email");
        api.MapGet("/", ListEmails).WithSummary("List emails, newest first, with filters");
        api.MapGet("/{id}", GetEmail).WithSummary("Retrieve an email with its status timeline");
        api.MapPatch("/{id}", RescheduleEmail).WithSummary("Reschedule a scheduled email");
        api.MapPost("/{id}/cancel", CancelEmail).WithSummary("Cancel a scheduled email");
        return app;
    }

    public static async Task<IResult> SendEmail(
        SendEmailRequest? request, Caller caller, EmailDbContext db, TemplateStore templates, RemoteAttachments remote, Feedback.UnsubscribeLinks unsubscribe, TimeProvider clock, IdempotencyKeys idempotency,
        GroupCommit groupCommit, [FromHeader(Name = IdempotencyKeys.HeaderName)] string? idempotencyKey, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return await AcceptAsync(request, caller, db, templates, remote, unsubscribe, clock, store: (intake, email, _, token) => groupCommit.StoreAsync(email, () => intake.StoreAsync([email], alsoInTransaction: null, token)), cancellationToken);
        }

        var (claim, answer) = await idempotency.ClaimAsync(caller.RequiredOrganizationId, idempotencyKey, request, cancellationToken);
        if (answer is not null)
        {
            return answer;
        }

        try
        {
            // The key is completed in the email's own transaction, so this request is not grouped with others.
            var result = await AcceptAsync(request, caller, db, templates, remote, unsubscribe, clock,
                store: (intake, email, response, token) => intake.StoreAsync([email], t => idempotency.CompleteAsync(claim, response, json.Value.SerializerOptions, t), token),
                cancellationToken);
            if (result.Result is not Ok<SendEmailResponse>)
            {
                await idempotency.ReleaseAsync(claim);
            }

            return result;
        }
        catch
        {
            await idempotency.ReleaseAsync(claim);
            throw;
        }
    }

    private static async Task<Results<Ok<SendEmailResponse>, ProblemHttpResult>> AcceptAsync(
        SendEmailRequest? request, Caller caller, EmailDbContext db, TemplateStore templates, RemoteAttachments remote, Feedback.UnsubscribeLinks unsubscribe,
        TimeProvider clock, Func<EmailIntake, Email, SendEmailResponse, CancellationToken, Task> store, CancellationToken cancellationToken)
    {
        var intake = new EmailIntake(db, templates, clock, caller, remote, unsubscribe);
        await intake.LoadAsync([request], cancellationToken);
        var (email, refusal) = intake.Prepare(request);
        if (email is null)
        {
            return refusal!.ToProblem();
        }

        var response = new SendEmailResponse(email.Id, email.Status, email.Suppressed.Count > 0 ? email.Suppressed : null);
        await store(intake, email, response, cancellationToken);
        return TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<EmailView>, ProblemHttpResult>> GetEmail(string id, Caller caller, EmailDbContext db, CancellationToken cancellationToken)
    {
        var email = await db.Emails.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.OrganizationId == caller.RequiredOrganizationId, cancellationToken);
        if (email is null)
        {
            return Problems.NotFound($"Email {id} not found.");
        }

        var timeline = await db.Timeline.AsNoTracking().Where(t => t.EmailId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(EmailView.Of(email, timeline));
    }

    public static async Task<Results<Ok<CursorPage<EmailSummaryView>>, ProblemHttpResult>> ListEmails(
        Caller caller, EmailDbContext db, [AsParameters] EmailListQuery query, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(query.Limit, query.After, query.Before, out var page, out var errors) | !query.TryBuildFilter(out var filter, errors))
        {
            return Problems.Validation(errors);
        }

        var emails = filter.Apply(db.Emails, caller.RequiredOrganizationId);
        return TypedResults.Ok(await emails.ToCursorPageAsync(page, e => e.Id, EmailSummaryView.Of, cancellationToken));
    }

    /// <summary>Moves a scheduled email to a new time (an empty body changes nothing).</summary>
    public static async Task<Results<Ok<EmailReference>, ProblemHttpResult>> RescheduleEmail(
        string id, RescheduleRequest? request, Caller caller, EmailDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var email = await db.Emails.FirstOrDefaultAsync(e => e.Id == id && e.OrganizationId == caller.RequiredOrganizationId, cancellationToken);
        if (email is null)
        {
            return Problems.NotFound($"Email {id} not found.");
        }

        if (request?.ScheduledAt is null)
        {
            return TypedResults.Ok(new EmailReference(email.Id));
        }

        var rules = new EmailRules(clock);
        var at = rules.CheckScheduledAt(request.ScheduledAt);
        if (!rules.IsValid)
        {
            return Problems.Validation(rules.Errors);
        }

        if (email.Status != EmailStatus.Scheduled)
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Email {id} is {email.Status}; only a scheduled email can be rescheduled.");
        }

        // A time already reached means: send now (the scheduler releases it within a second).
        email.ScheduledAt = at ?? clock.GetUtcNow();
        db.Timeline.Add(new EmailTimelineEntry { EmailId = id, Status = EmailStatus.Scheduled, OccurredAt = clock.GetUtcNow(), Detail = $"rescheduled to {email.ScheduledAt:O}" });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new EmailReference(email.Id));
    }

    public static async Task<Results<Ok<EmailReference>, ProblemHttpResult>> CancelEmail(string id, Caller caller, EmailDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var canceled = await db.InTransactionAsync(async token =>
        {
            // Conditional on still being scheduled, so a cancel racing the scheduler's release loses cleanly.
            var email = await db.Emails.FromSql($"SELECT * FROM emails WHERE id = {id} AND status = 'scheduled' FOR UPDATE")
                .Where(e => e.OrganizationId == caller.RequiredOrganizationId).FirstOrDefaultAsync(token);
            if (email is null)
            {
                return false;
            }

            email.Status = EmailStatus.Canceled;
            db.Timeline.Add(new EmailTimelineEntry { EmailId = id, Status = EmailStatus.Canceled, OccurredAt = now });
            LifecycleEvents.Announce(db, email, EmailStatus.Canceled, now, now);
            await db.SaveChangesAsync(token);
            return true;
        }, cancellationToken);
        if (canceled)
        {
            return TypedResults.Ok(new EmailReference(id));
        }

        var status = await db.Emails.Where(e => e.Id == id && e.OrganizationId == caller.RequiredOrganizationId).Select(e => e.Status).FirstOrDefaultAsync(cancellationToken);
        return status is null
            ? Problems.NotFound($"Email {id} not found.")
            : Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Email {id} is {status}; only a scheduled email can be canceled.");
    }
}
