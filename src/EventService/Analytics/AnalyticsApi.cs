using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Paging;
using Send.EventService.Data;
using Send.EventService.Model;
using Send.EventService.Reputation;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

namespace Send.EventService.Analytics;

/// <summary>
/// <c>/v1/analytics</c>: an organization's counts over time, its deliverability against the
/// thresholds in force (and what its reputation policy did), and its raw event stream.
/// </summary>
public static class AnalyticsApi
{
    /// <summary>At most this many buckets per answer: a month of hours, a year and a day of days.</summary>
    private static readonly Dictionary<string, int> MaxBuckets = new(StringComparer.Ordinal) { [AnalyticsRollup.Hour] = 744, [AnalyticsRollup.Day] = 366 };

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/analytics").WithTags("Analytics");
        api.MapGet("/overview", Overview).WithSummary("Sent, delivered, bounced, complained, opened, clicked (and unique) per hour or day");
        api.MapGet("/deliverability", Deliverability).WithSummary("Bounce and complaint rates over rolling windows, the thresholds in force, recent findings");
        api.MapGet("/events", Events).WithSummary("The email event stream (cursor; filter by type and email)");
        return app;
    }

    public static async Task<Results<Ok<OverviewView>, ProblemHttpResult>> Overview(
        Caller caller, EventsDbContext db, TimeProvider clock, string? from, string? to, string? granularity, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var unit = granularity ?? AnalyticsRollup.Day;
        if (!MaxBuckets.ContainsKey(unit))
        {
            errors["granularity"] = ["hour or day."];
        }

        var now = clock.GetUtcNow();
        var end = ParseTime(to, "to", errors) ?? now;
        var start = ParseTime(from, "from", errors) ?? end.AddDays(-7);
        if (errors.Count == 0 && start >= end)
        {
            errors["from"] = ["Must be before to."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var first = RollupCounters.BucketStart(start, unit);
        var step = unit == AnalyticsRollup.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var buckets = (int)Math.Ceiling((end - first) / step);
        if (buckets > MaxBuckets[unit])
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["from"] = [$"At most {MaxBuckets[unit]} {unit}s per request; this range has {buckets}."] });
        }

        var organizationId = caller.RequiredOrganizationId;
        var rows = await db.Rollups.AsNoTracking()
            .Where(r => r.OrganizationId == organizationId && r.Granularity == unit && r.BucketStart >= first && r.BucketStart < end)
            .ToDictionaryAsync(r => r.BucketStart, cancellationToken);
        var data = Enumerable.Range(0, buckets).Select(i => first + (step * i))
            .Select(at => new OverviewBucket(at, rows.TryGetValue(at, out var row) ? Counts.Of(row) : Counts.Zero)).ToList();
        var totals = Counts.Sum(data.Select(d => d.Counts));
        return TypedResults.Ok(new OverviewView("analytics_overview", unit, start, end, totals, Rates.Of(totals), data));
    }

    public static async Task<Ok<DeliverabilityView>> Deliverability(
        Caller caller, EventsDbContext db, ReputationMonitor monitor, IOptions<ReputationOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var organizationId = caller.RequiredOrganizationId;
        var now = clock.GetUtcNow();
        var policy = await db.ReputationPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.OrganizationId == organizationId, cancellationToken)
            ?? new ReputationPolicy { OrganizationId = organizationId };
        var windows = new List<WindowView>();
        foreach (var window in new[] { settings.Window, TimeSpan.FromDays(7) }.Distinct())
        {
            var counts = await monitor.CountsAsync(organizationId, window, now, cancellationToken);
            windows.Add(new WindowView(ReputationMonitor.Hours(window), counts.Sent, counts.HardBounced, counts.Complained,
                counts.Sent == 0 ? null : (double)counts.HardBounced / counts.Sent, counts.Sent == 0 ? null : (double)counts.Complained / counts.Sent));
        }

        var findings = await db.ReputationFindings.AsNoTracking().Where(f => f.OrganizationId == organizationId)
            .OrderByDescending(f => f.CreatedAt).Take(20).ToListAsync(cancellationToken);
        var thresholds = new ThresholdsView(ReputationMonitor.Hours(settings.Window), settings.MinimumSent,
            new RateThresholds(settings.BounceRateLow, settings.BounceRateHigh), new RateThresholds(settings.ComplaintRateLow, settings.ComplaintRateHigh),
            settings.SpikeFactor, settings.SpikeMinimum);
        return TypedResults.Ok(new DeliverabilityView("deliverability", policy.Policy, policy.Paused, policy.PausedReason, policy.PausedAt,
            windows, thresholds, [.. findings.Select(FindingView.Of)]));
    }

    public static async Task<Results<Ok<CursorPage<EmailEventView>>, ProblemHttpResult>> Events(
        Caller caller, EventsDbContext db, int? limit, string? after, string? before, string? type, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "email_id")] string? emailId, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        var organizationId = caller.RequiredOrganizationId;
        var events = db.EmailEvents.AsNoTracking().Where(e => e.OrganizationId == organizationId);
        if (type is not null)
        {
            var name = type.StartsWith("email.", StringComparison.Ordinal) ? type : "email." + type;
            events = events.Where(e => e.Type == name);
        }

        if (emailId is not null)
        {
            events = events.Where(e => e.EmailId == emailId);
        }

        return TypedResults.Ok(await events.ToCursorPageAsync(page, e => e.Id, EmailEventView.Of, cancellationToken));
    }

    private static DateTimeOffset? ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors[field] = ["An ISO 8601 date or time, like 2026-11-01 or 2026-11-01T12:00:00Z."];
        return null;
    }
}
