using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

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
        api.MapGet("/{id}", GetEmail).WithSummary("Retrieve an email with its status timeline");
        return app;
    }

    public static async Task<Results<Ok<SendEmailResponse>, ProblemHttpResult>> SendEmail(
        SendEmailRequest? request, Caller caller, EmailDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var rules = new EmailRules(clock);
        var accepted = request is null ? null : rules.Check(request);
        if (accepted is null)
        {
            return Problems.Validation(request is null ? new Dictionary<string, string[]> { [""] = ["A JSON body is required."] } : rules.Errors);
        }

        var organizationId = caller.RequiredOrganizationId;
        if (await CheckSenderAsync(accepted, caller, db, cancellationToken) is { } refused)
        {
            return refused;
        }

        var suppressed = await SuppressedAsync(organizationId, accepted, db, cancellationToken);
        var email = NewEmail(accepted, caller, suppressed, clock.GetUtcNow());
        if (email.To.Count + email.Cc.Count + email.Bcc.Count == 0)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["to"] = ["Every recipient is on the organization's suppression list."] });
        }

        await db.InTransactionAsync(async token =>
        {
            db.Emails.Add(email);
            db.Timeline.Add(new EmailTimelineEntry { EmailId = email.Id, Status = email.Status, OccurredAt = email.CreatedAt });
            if (email.Status == EmailStatus.Queued)
            {
                db.Enqueue(email.Priority ? Topics.EmailSendPriority : Topics.EmailSend,
                    new EmailQueued(email.Id, organizationId, email.Priority, email.Test, email.CreatedAt), email.CreatedAt);
            }

            await db.SaveChangesAsync(token);
        }, cancellationToken);

        return TypedResults.Ok(new SendEmailResponse(email.Id, email.Status, suppressed.Count > 0 ? suppressed : null));
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

    /// <summary>
    /// A live key sends only from a verified domain of its organization, and a key restricted to
    /// one domain only from that one. A test key may use any address: nothing it sends leaves Send.
    /// </summary>
    private static async Task<ProblemHttpResult?> CheckSenderAsync(AcceptedEmail email, Caller caller, EmailDbContext db, CancellationToken cancellationToken)
    {
        var domain = await db.Domains.AsNoTracking()
            .FirstOrDefaultAsync(d => d.OrganizationId == caller.RequiredOrganizationId && d.Name == email.FromDomain, cancellationToken);
        if (caller.DomainId is { } onlyDomain && domain?.Id != onlyDomain)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, ProblemNames.RestrictedApiKey,
                $"This API key may only send from domain {onlyDomain}; {email.FromDomain} is not it.");
        }

        if (!caller.IsTest && domain?.Status != SenderDomain.Verified)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, ProblemNames.InvalidFromAddress,
                $"The {email.FromDomain} domain is not verified for your organization. Add and verify it under /v1/domains, or use a test key.");
        }

        return null;
    }

    private static async Task<List<string>> SuppressedAsync(string organizationId, AcceptedEmail email, EmailDbContext db, CancellationToken cancellationToken)
    {
        var bare = email.AllRecipients.Select(BareAddress).Distinct().ToList();
        return await db.Suppressions.AsNoTracking()
            .Where(s => s.OrganizationId == organizationId && bare.Contains(s.Email))
            .Select(s => s.Email)
            .ToListAsync(cancellationToken);
    }

    private static Email NewEmail(AcceptedEmail accepted, Caller caller, List<string> suppressed, DateTimeOffset now)
    {
        var id = Ids.New("send");
        List<string> Keep(IEnumerable<string> addresses) => [.. addresses.Where(a => !suppressed.Contains(BareAddress(a)))];
        return new Email
        {
            Id = id,
            OrganizationId = caller.RequiredOrganizationId,
            ApiKeyId = caller.KeyId,
            Test = caller.IsTest,
            From = accepted.From.ToString(),
            FromDomain = accepted.FromDomain,
            To = Keep(accepted.To),
            Cc = Keep(accepted.Cc),
            Bcc = Keep(accepted.Bcc),
            ReplyTo = [.. accepted.ReplyTo],
            Suppressed = suppressed,
            Subject = accepted.Subject,
            Html = accepted.Html,
            Text = accepted.Text,
            Headers = accepted.Headers,
            Tags = accepted.Tags,
            Priority = accepted.Priority,
            Status = accepted.ScheduledAt is null ? EmailStatus.Queued : EmailStatus.Scheduled,
            CreatedAt = now,
            ScheduledAt = accepted.ScheduledAt,
            MessageId = MimeUtils.GenerateMessageId(accepted.FromDomain),
            Attachments = [.. accepted.Attachments.Select(a => new EmailAttachment
            {
                EmailId = id, Filename = a.Filename, ContentType = a.ContentType, ContentId = a.ContentId, Content = a.Content,
            })],
        };
    }

    public static string BareAddress(string address) =>
        MailboxAddress.TryParse(address, out var mailbox) ? mailbox.Address.ToLowerInvariant() : address.ToLowerInvariant();
}
