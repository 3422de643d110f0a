using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Send.EmailService.Model;

namespace Send.EmailService.Apis;

/// <summary>
/// <c>GET /v1/emails</c> query: Resend's cursor (<c>limit</c>, <c>after</c>, <c>before</c>) plus
/// filters by status (<c>last_event</c>), recipient, tag (<c>name:value</c>) and creation time.
/// </summary>
public sealed record EmailListQuery(
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "after")] string? After,
    [FromQuery(Name = "before")] string? Before,
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "recipient")] string? Recipient,
    [FromQuery(Name = "tag")] string? Tag,
    [FromQuery(Name = "created_after")] string? CreatedAfter,
    [FromQuery(Name = "created_before")] string? CreatedBefore)
{
    private static readonly HashSet<string> Statuses =
        [EmailStatus.Scheduled, EmailStatus.Queued, EmailStatus.Sending, EmailStatus.Sent, EmailStatus.Failed, EmailStatus.Canceled];

    public bool TryBuildFilter(out EmailFilter filter, Dictionary<string, string[]> errors)
    {
        filter = new EmailFilter(null, null, null, null, null);
        if (Status is not null && !Statuses.Contains(Status))
        {
            errors["status"] = [$"One of: {string.Join(", ", Statuses)}."];
        }

        EmailTag? tag = null;
        if (Tag is not null)
        {
            var parts = Tag.Split(':', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                errors["tag"] = ["name:value, as the tag was given at send."];
            }
            else
            {
                tag = new EmailTag(parts[0], parts[1]);
            }
        }

        var after = Time("created_after", CreatedAfter, errors);
        var before = Time("created_before", CreatedBefore, errors);
        if (errors.Count > 0)
        {
            return false;
        }

        filter = new EmailFilter(Status, Recipient is null ? null : EmailIntake.BareAddress(Recipient), tag, after, before);
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

public sealed record EmailFilter(string? Status, string? Recipient, EmailTag? Tag, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore)
{
    /// <summary>The organization's emails that pass the filter (tags by jsonb containment, as stored).</summary>
    public IQueryable<Email> Apply(DbSet<Email> all, string organizationId)
    {
        var emails = Tag is null
            ? all.Where(e => e.OrganizationId == organizationId)
            : all.FromSqlInterpolated($"SELECT * FROM emails WHERE organization_id = {organizationId} AND tags @> {JsonSerializer.Serialize(new[] { Tag }, JsonSerializerOptions.Web)}::jsonb");
        emails = emails.AsNoTracking();
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
