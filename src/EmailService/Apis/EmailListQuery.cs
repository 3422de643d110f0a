using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Send.EmailService.Model;

namespace Send.EmailService.Apis;

/// <summary>
/// <c>GET /v1/emails</c> query: Resend's cursor (<c>limit</c>, <c>after</c>, <c>before</c>) plus
/// filters by status (<c>last_event</c>), recipient, and creation time.
/// </summary>
public sealed record EmailListQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "after")] string? After,
    [FromQuery(Name = "before")] string? Before,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "recipient")] string? Recipient,
    [FromQuery(Name = "created_after")] string? CreatedAfter,
    [FromQuery(Name = "created_before")] string? CreatedBefore)
{
    private static readonly HashSet<string> Statuses =
        [EmailStatus.Scheduled, EmailStatus.Queued, EmailStatus.Sending, EmailStatus.Sent, EmailStatus.Failed, EmailStatus.Canceled];

    public bool TryBuildFilter(out EmailFilter filter, Dictionary<string, string[]> errors)
    {
        filter = new EmailFilter(null, null, null, null);
        if (Status is not null && !Statuses.Contains(Status))
        {
            errors["status"] = [$"One of: {string.Join(", ", Statuses)}."];
        }

        var after = Time("created_after", CreatedAfter, errors);
        var before = Time("created_before", CreatedBefore, errors);
        if (errors.Count > 0)
        {
            return false;
        }

        filter = new EmailFilter(Status, Recipient is null ? null : EmailIntake.BareAddress(Recipient), after, before);
        return true;
    }

    private static DateTimeOffset? Time(string field, string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        errors[field] = ["An ISO 8601 date and time."];
        return null;
    }
}

public sealed record EmailFilter(string? Status, string? Recipient, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore)
{
    public IQueryable<Email> Apply(IQueryable<Email> emails)
    {
        if (Status is not null)
        {
            emails = emails.Where(e => e.Status == Status);
        }

        if (Recipient is not null)
        {
            emails = emails.Where(e => e.Recipients.Contains(Recipient));
        }

        if (CreatedAfter is { } after)
        {
            emails = emails.Where(e => e.CreatedAt >= after);
        }

        if (CreatedBefore is { } before)
        {
            emails = emails.Where(e => e.CreatedAt < before);
        }

        return emails;
    }
}
