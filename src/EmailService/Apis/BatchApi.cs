using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Send.EmailService.Data;
using Send.EmailService.Templates;
using Send.EmailService.Model;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;

namespace Send.EmailService.Apis;

/// <summary>
/// <c>POST /v1/emails/batch</c>: up to 1,000 emails in one request, checked with the same rules
/// as a single send and stored in one transaction. <c>x-batch-validation: strict</c> (default)
/// stores all or nothing; <c>permissive</c> stores the valid ones and lists the others by index.
/// </summary>
public static class BatchApi
{
    public const int MaxEmails = 1000;
    public const string ValidationHeader = "x-batch-validation";

    public static IEndpointRouteBuilder MapBatchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/emails/batch", SendBatch).WithTags("Emails").WithSummary("Send up to 1,000 emails at once");
        return app;
    }

    public sealed record BatchItem(string Id);

    public sealed record BatchError(int Index, string Message);

    public sealed record BatchResponse(IReadOnlyList<BatchItem> Data, IReadOnlyList<BatchError>? Errors);

    public static async Task<IResult> SendBatch(
        List<SendEmailRequest?>? requests, Caller caller, EmailDbContext db, TemplateStore templates, RemoteAttachments remote, Feedback.UnsubscribeLinks unsubscribe, TimeProvider clock, IdempotencyKeys idempotency,
        [FromHeader(Name = IdempotencyKeys.HeaderName)] string? idempotencyKey, [FromHeader(Name = ValidationHeader)] string? validation,
        IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (validation is not (null or "strict" or "permissive"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { [ValidationHeader] = ["Either strict or permissive."] });
        }

        if (requests is null || requests.Count is 0 or > MaxEmails)
        {
            return Problems.Validation(new Dictionary<string, string[]> { [""] = [$"A JSON array of 1 to {MaxEmails} emails."] });
        }

        var (claim, answer) = await idempotency.ClaimAsync(caller.RequiredOrganizationId, idempotencyKey, new { requests, validation }, cancellationToken);
        if (answer is not null)
        {
            return answer;
        }

        try
        {
            var intake = new EmailIntake(db, templates, clock, caller, remote, unsubscribe);
            await intake.LoadAsync(requests, cancellationToken);
            var prepared = requests.Select((request, index) => (Index: index, Result: intake.Prepare(request))).ToList();
            var refusals = prepared.Where(p => p.Result.Refusal is not null).ToList();
            if (validation != "permissive" && refusals.Count > 0)
            {
                await idempotency.ReleaseAsync(claim);
                return StrictRefusal(refusals.Select(r => (r.Index, r.Result.Refusal!)).ToList());
            }

            var emails = prepared.Where(p => p.Result.Email is not null).Select(p => p.Result.Email!).ToList();
            var response = new BatchResponse(
                [.. emails.Select(e => new BatchItem(e.Id))],
                validation == "permissive" ? [.. refusals.Select(r => new BatchError(r.Index, r.Result.Refusal!.Message))] : null);
            if (emails.Count > 0)
            {
                await intake.StoreAsync(emails, token => idempotency.CompleteAsync(claim, response, json.Value.SerializerOptions, token), cancellationToken);
            }
            else
            {
                await idempotency.ReleaseAsync(claim);
            }

            return TypedResults.Ok(response);
        }
        catch
        {
            await idempotency.ReleaseAsync(claim);
            throw;
        }
    }

    /// <summary>
    /// All or nothing: a sender refusal (403) is answered as such, naming the email; field
    /// errors of every email come back together, keyed <c>[index].field</c>.
    /// </summary>
    private static ProblemHttpResult StrictRefusal(List<(int Index, Refusal Refusal)> refusals)
    {
        if (refusals.FirstOrDefault(r => r.Refusal.Errors is null) is { Refusal: not null } forbidden)
        {
            return Problems.Of(forbidden.Refusal.Status, forbidden.Refusal.Name, $"Email [{forbidden.Index}]: {forbidden.Refusal.Message} Nothing was sent.");
        }

        var errors = refusals
            .SelectMany(r => r.Refusal.Errors!.Select(e => (Key: e.Key.Length == 0 ? $"[{r.Index}]" : $"[{r.Index}].{e.Key}", e.Value)))
            .ToDictionary(e => e.Key, e => e.Value);
        return Problems.Validation(errors, $"{refusals.Count} of the emails are invalid; nothing was sent. " +
            string.Join(" ", errors.Take(10).SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))));
    }
}
