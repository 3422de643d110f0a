using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Data;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.EmailService.Sending;
using Send.ServiceDefaults.Errors;

namespace Send.EmailService.Feedback;

/// <summary>
/// <c>/unsubscribe/{token}</c>, reached through the Gateway without an API key (recipients have
/// none). GET shows a page with a button and changes nothing, because mail scanners follow links;
/// POST (the button, or a mailbox provider's RFC 8058 one-click POST) suppresses the recipient.
/// </summary>
public static class UnsubscribeEndpoints
{
    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/unsubscribe").ExcludeFromDescription();
        group.MapGet("/{token}", Confirm);
        group.MapPost("/{token}", Unsubscribe).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> Confirm(string token, UnsubscribeLinks links, EmailDbContext db, CancellationToken cancellationToken)
    {
        var recipient = await RecipientAsync(token, links, db, cancellationToken);
        return recipient is null
            ? NotFound()
            : Page("Unsubscribe", $"""
                <p>Stop receiving these emails at <b>{WebUtility.HtmlEncode(recipient.Address)}</b>?</p>
                <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
                """);
    }

    private static async Task<IResult> Unsubscribe(
        string token, UnsubscribeLinks links, EmailDbContext db, SuppressionList suppressions, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var recipient = await RecipientAsync(token, links, db, cancellationToken);
        if (recipient is null)
        {
            return NotFound();
        }

        var now = clock.GetUtcNow();
        var added = await db.InTransactionAsync(async ct =>
        {
            var fresh = await suppressions.SuppressAsync(recipient.OrganizationId, recipient.Address, SuppressionReasons.Unsubscribe, recipient.EmailId,
                "one-click unsubscribe", null, now, ct);
            if (fresh)
            {
                db.Timeline.Add(new EmailTimelineEntry { EmailId = recipient.EmailId, Status = "unsubscribed", OccurredAt = now, Detail = recipient.Address });
                LifecycleEvents.Announce(db, recipient.OrganizationId, recipient.EmailId, recipient.From, [recipient.Address], recipient.Subject, "unsubscribed", now, now,
                    new Dictionary<string, string> { ["recipient"] = recipient.Address });
                await db.SaveChangesAsync(ct);
            }

            return fresh;
        }, cancellationToken);
        loggers.CreateLogger(typeof(UnsubscribeEndpoints)).LogInformation("Email {EmailId}: recipient unsubscribed ({State})", recipient.EmailId, added ? "new" : "already suppressed");
        return Page("Unsubscribed", $"<p><b>{WebUtility.HtmlEncode(recipient.Address)}</b> will not receive these emails any more.</p>");
    }

    private static async Task<Recipient?> RecipientAsync(string token, UnsubscribeLinks links, EmailDbContext db, CancellationToken cancellationToken)
    {
        if (links.EmailIdOf(token) is not { } emailId)
        {
            return null;
        }

        var email = await db.Emails.AsNoTracking().Where(e => e.Id == emailId)
            .Select(e => new { e.Id, e.OrganizationId, e.From, e.Subject, e.Recipients }).FirstOrDefaultAsync(cancellationToken);
        return email is null || email.Recipients.Count != 1 ? null : new Recipient(email.Id, email.OrganizationId, email.Recipients[0], email.From, email.Subject);
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("This unsubscribe link is not valid.");

    private static IResult Page(string title, string body) => Results.Content(
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body style=\"font-family:sans-serif;max-width:32em;margin:4em auto\"><h1>{title}</h1>{body}</body></html>",
        "text/html; charset=utf-8");

    private sealed record Recipient(string EmailId, string OrganizationId, string Address, string From, string Subject);
}
