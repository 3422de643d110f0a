using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EventService.Analytics;
using Send.EventService.Data;
using Send.EventService.Model;

namespace Send.EventService.Reputation;

/// <summary>
/// The seed's per-tenant reputation, for every provider: after each send, bounce or complaint,
/// measures the organization's rates over the rolling window (and its hourly volume against its
/// own trailing average), records a finding once per window, and applies the policy:
/// <c>standard</c> pauses on HIGH, <c>strict</c> on any, <c>none</c> never. A pause is announced
/// on <see cref="Topics.OrganizationEvents"/> through the outbox; EmailService enforces it.
/// Only the organization's own numbers are read, so one tenant never affects another.
/// </summary>
public sealed class ReputationMonitor(EventsDbContext db, IOptions<ReputationOptions> options, ILogger<ReputationMonitor> logger)
{
    private static readonly TimeSpan SpikeCheckEvery = TimeSpan.FromMinutes(1);
    private static readonly ConcurrentDictionary<string, DateTimeOffset> LastSpikeCheck = new(StringComparer.Ordinal);

    public async Task CheckAsync(string organizationId, string eventType, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var findings = eventType switch
        {
            "email.bounced" or "email.complained" => await RateFindingsAsync(organizationId, now, cancellationToken),
            "email.sent" when SpikeCheckDue(organizationId, now) => await SpikeFindingsAsync(organizationId, now, cancellationToken),
            _ => [],
        };
        foreach (var finding in findings)
        {
            await ActAsync(finding, now, cancellationToken);
        }
    }

    public async Task<WindowCounts> CountsAsync(string organizationId, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = RollupCounters.BucketStart(now - window, AnalyticsRollup.Hour);
        var rows = db.Rollups.AsNoTracking().Where(r => r.OrganizationId == organizationId && r.Granularity == AnalyticsRollup.Hour && r.BucketStart > since);
        var sums = await rows.GroupBy(_ => 1).Select(g => new WindowCounts(g.Sum(r => r.Sent), g.Sum(r => r.HardBounced), g.Sum(r => r.Complained)))
            .FirstOrDefaultAsync(cancellationToken);
        return sums ?? new WindowCounts(0, 0, 0);
    }

    private async Task<List<ReputationFinding>> RateFindingsAsync(string organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var counts = await CountsAsync(organizationId, settings.Window, now, cancellationToken);
        if (counts.Sent < settings.MinimumSent)
        {
            return [];
        }

        var window = Hours(settings.Window);
        List<ReputationFinding?> found =
        [
            Rate(organizationId, ReputationFinding.BounceRate, "Bounce rate", counts.HardBounced, counts.Sent, settings.BounceRateLow, settings.BounceRateHigh, window, now),
            Rate(organizationId, ReputationFinding.ComplaintRate, "Complaint rate", counts.Complained, counts.Sent, settings.ComplaintRateLow, settings.ComplaintRateHigh, window, now),
        ];
        return [.. found.OfType<ReputationFinding>()];
    }

    private ReputationFinding? Rate(string organizationId, string kind, string label, long count, long sent, double low, double high, string window, DateTimeOffset now)
    {
        var rate = (double)count / sent;
        var (severity, threshold) = rate >= high ? (ReputationFinding.High, high) : rate >= low ? (ReputationFinding.Low, low) : (null, 0);
        return severity is null ? null : new ReputationFinding
        {
            Id = Ids.New("fnd"), OrganizationId = organizationId, Kind = kind, Severity = severity, Value = rate, Threshold = threshold, Volume = sent,
            Window = options.Value.Window, Action = "recorded", CreatedAt = now,
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{label} {rate * 100:0.0##}% ({count} of {sent} sent) over the last {window} is at or above the {severity} threshold of {threshold * 100:0.0##}%."),
        };
    }

    private async Task<List<ReputationFinding>> SpikeFindingsAsync(string organizationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var thisHour = RollupCounters.BucketStart(now, AnalyticsRollup.Hour);
        var baselineStart = thisHour - settings.SpikeBaseline;
        var hourly = db.Rollups.AsNoTracking().Where(r => r.OrganizationId == organizationId && r.Granularity == AnalyticsRollup.Hour);
        var current = await hourly.Where(r => r.BucketStart == thisHour).Select(r => r.Sent).FirstOrDefaultAsync(cancellationToken);
        if (current < settings.SpikeMinimum)
        {
            return [];
        }

        var before = await hourly.Where(r => r.BucketStart >= baselineStart && r.BucketStart < thisHour).SumAsync(r => r.Sent, cancellationToken);
        var average = before / settings.SpikeBaseline.TotalHours;
        var ratio = current / Math.Max(average, 1);
        return ratio < settings.SpikeFactor ? [] :
        [
            new ReputationFinding
            {
                Id = Ids.New("fnd"), OrganizationId = organizationId, Kind = ReputationFinding.VolumeSpike, Severity = ReputationFinding.Low, Value = ratio,
                Threshold = settings.SpikeFactor, Volume = current, Window = TimeSpan.FromHours(1), Action = "recorded", CreatedAt = now,
                Description = string.Create(CultureInfo.InvariantCulture,
                    $"Volume spike: {current} sent this hour, {ratio:0.#}x the trailing hourly average of {average:0.#} (threshold {settings.SpikeFactor:0.#}x)."),
            },
        ];
    }

    /// <summary>Records the finding once per window and pauses if the policy says so, with the policy row locked so concurrent events decide once.</summary>
    private async Task ActAsync(ReputationFinding finding, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var organizationId = finding.OrganizationId;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO reputation_policies (organization_id, policy, paused, updated_at) VALUES ({organizationId}, {ReputationPolicy.Standard}, false, {now}) ON CONFLICT DO NOTHING",
            cancellationToken);
        var policy = await db.ReputationPolicies.FromSql($"SELECT * FROM reputation_policies WHERE organization_id = {organizationId} FOR UPDATE").SingleAsync(cancellationToken);

        var since = now - finding.Window;
        if (policy.ReinstatedAt > since)
        {
            since = policy.ReinstatedAt.Value;
        }

        var severities = finding.Severity == ReputationFinding.Low ? new[] { ReputationFinding.Low, ReputationFinding.High } : [ReputationFinding.High];
        if (await db.ReputationFindings.AnyAsync(f => f.OrganizationId == organizationId && f.Kind == finding.Kind && severities.Contains(f.Severity) && f.CreatedAt > since, cancellationToken))
        {
            return; // already found in this window
        }

        var pauses = policy.Policy switch
        {
            ReputationPolicy.Strict => true,
            ReputationPolicy.Standard => finding.Severity == ReputationFinding.High,
            _ => false,
        };
        var inGrace = policy.ReinstatedAt > now - options.Value.ReinstateGrace;
        if (pauses && !policy.Paused && !inGrace)
        {
            finding.Action = "paused";
            policy.Paused = true;
            policy.PausedAt = now;
            policy.PausedReason = finding.Description;
            policy.UpdatedAt = now;
            db.Enqueue(Topics.OrganizationEvents, new OrganizationSendingChanged(organizationId, true, finding.Description, now, finding.Id), now);
            logger.LogWarning("Organization {Organization} paused under policy {Policy}: {Finding}", organizationId, policy.Policy, finding.Description);
        }
        else
        {
            logger.LogInformation("Reputation finding for {Organization} ({Policy}{Grace}): {Finding}", organizationId, policy.Policy, inGrace ? ", reinstated recently" : "", finding.Description);
        }

        db.ReputationFindings.Add(finding);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static bool SpikeCheckDue(string organizationId, DateTimeOffset now)
    {
        if (LastSpikeCheck.TryGetValue(organizationId, out var last) && now - last < SpikeCheckEvery)
        {
            return false;
        }

        LastSpikeCheck[organizationId] = now;
        return true;
    }

    public static string Hours(TimeSpan window) => window.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes:0} min");
}

public sealed record WindowCounts(long Sent, long HardBounced, long Complained);
