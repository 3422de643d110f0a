using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.EmailService.Sending.Providers;

namespace Send.EmailService.Feedback;

/// <summary>
/// Who an organization no longer sends to. A permanent bounce or a complaint suppresses the
/// address for good (a permanent reason replaces an expiring one); transient bounces are
/// counted and suppress for a while once they repeat (<see cref="FeedbackOptions"/>). The
/// sandbox simulator's addresses are never suppressed, so a test can bounce them every time.
/// </summary>
public sealed class SuppressionList(EmailDbContext db, IOptions<FeedbackOptions> options)
{
    public async Task ApplyAsync(string organizationId, string emailId, string recipient, ProviderEventReceived received, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (SandboxSimulator.IsSimulated(recipient))
        {
            return;
        }

        var details = received.Details ?? new Dictionary<string, string>();
        var diagnostic = details.TryGetValue("diagnostic_code", out var code) ? code : details.GetValueOrDefault("reason");
        if (received.Kind == ProviderEventKinds.Complained)
        {
            await SuppressAsync(organizationId, recipient, SuppressionReasons.Complaint, emailId, details.GetValueOrDefault("complaint_feedback_type"), null, now, cancellationToken);
        }
        else if (received.Kind == ProviderEventKinds.Bounced && details.GetValueOrDefault("bounce_type") == "Permanent")
        {
            await SuppressAsync(organizationId, recipient, SuppressionReasons.Bounce, emailId, diagnostic, null, now, cancellationToken);
        }
        else if (received.Kind == ProviderEventKinds.Bounced)
        {
            await CountSoftBounceAsync(organizationId, recipient, emailId, diagnostic, now, cancellationToken);
        }
    }

    /// <summary>Adds or hardens a suppression; true when the address was not suppressed before.</summary>
    public async Task<bool> SuppressAsync(
        string organizationId, string email, string reason, string? sourceEmailId, string? detail, DateTimeOffset? keepUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // An expired or expiring suppression is replaced; a permanent one is kept as it is (its first reason stays).
        var changed = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO suppressions (id, organization_id, email, reason, source_email_id, detail, keep_until, created_at)
            VALUES ({Ids.New("sup")}, {organizationId}, {email}, {reason}, {sourceEmailId}, {detail}, {keepUntil}, {now})
            ON CONFLICT (organization_id, email) DO UPDATE
              SET reason = excluded.reason, source_email_id = excluded.source_email_id, detail = excluded.detail,
                  keep_until = excluded.keep_until, created_at = excluded.created_at
              WHERE suppressions.keep_until IS NOT NULL
                AND (excluded.keep_until IS NULL OR suppressions.keep_until < excluded.keep_until)
            """, cancellationToken);
        return changed == 1;
    }

    private async Task CountSoftBounceAsync(string organizationId, string email, string emailId, string? diagnostic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var quietSince = now - settings.SoftBounceWindow;
        // ToList, not Single: EF must not wrap an INSERT … RETURNING in a SELECT.
        var count = (await db.Database.SqlQuery<int>($"""
            INSERT INTO soft_bounces (organization_id, email, count, first_at, last_at) VALUES ({organizationId}, {email}, 1, {now}, {now})
            ON CONFLICT (organization_id, email) DO UPDATE
              SET count = CASE WHEN soft_bounces.last_at < {quietSince} THEN 1 ELSE soft_bounces.count + 1 END,
                  first_at = CASE WHEN soft_bounces.last_at < {quietSince} THEN {now} ELSE soft_bounces.first_at END,
                  last_at = {now}
            RETURNING count AS "Value"
            """).ToListAsync(cancellationToken)).Single();
        if (count >= settings.SoftBounceLimit)
        {
            await SuppressAsync(organizationId, email, SuppressionReasons.RepeatedSoftBounce, emailId,
                $"{count} transient bounces; last: {diagnostic}", now + settings.SoftBounceKeep, now, cancellationToken);
            await db.SoftBounces.Where(s => s.OrganizationId == organizationId && s.Email == email).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
