using System.Text.Json.Serialization;
using Send.EventService.Model;

namespace Send.EventService.Analytics;

public sealed record Counts(
    long Sent, long Delivered, long DeliveryDelayed, long Bounced, long HardBounced, long Complained,
    long Opened, long Clicked, long UniqueOpens, long UniqueClicks, long Failed, long Suppressed)
{
    public static readonly Counts Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static Counts Of(AnalyticsRollup r) => new(
        r.Sent, r.Delivered, r.DeliveryDelayed, r.Bounced, r.HardBounced, r.Complained, r.Opened, r.Clicked, r.UniqueOpens, r.UniqueClicks, r.Failed, r.Suppressed);

    public static Counts Sum(IEnumerable<Counts> all) => all.Aggregate(Zero, (a, b) => new(
        a.Sent + b.Sent, a.Delivered + b.Delivered, a.DeliveryDelayed + b.DeliveryDelayed, a.Bounced + b.Bounced, a.HardBounced + b.HardBounced,
        a.Complained + b.Complained, a.Opened + b.Opened, a.Clicked + b.Clicked, a.UniqueOpens + b.UniqueOpens, a.UniqueClicks + b.UniqueClicks,
        a.Failed + b.Failed, a.Suppressed + b.Suppressed));
}

/// <summary>Rates over a period, of sent emails (null while nothing was sent).</summary>
public sealed record Rates(double? DeliveryRate, double? BounceRate, double? HardBounceRate, double? ComplaintRate, double? UniqueOpenRate, double? UniqueClickRate)
{
    public static Rates Of(Counts c) => c.Sent == 0
        ? new(null, null, null, null, null, null)
        : new((double)c.Delivered / c.Sent, (double)c.Bounced / c.Sent, (double)c.HardBounced / c.Sent, (double)c.Complained / c.Sent,
            (double)c.UniqueOpens / c.Sent, (double)c.UniqueClicks / c.Sent);
}

public sealed record OverviewBucket(DateTimeOffset Start, Counts Counts);

public sealed record OverviewView(
    [property: JsonPropertyName("object")] string Kind, string Granularity, DateTimeOffset From, DateTimeOffset To, Counts Totals, Rates Rates, IReadOnlyList<OverviewBucket> Data);

public sealed record RateThresholds(double Low, double High);

public sealed record ThresholdsView(string Window, long MinimumSent, RateThresholds BounceRate, RateThresholds ComplaintRate, double VolumeSpikeFactor, long VolumeSpikeMinimum);

public sealed record WindowView(string Window, long Sent, long HardBounced, long Complained, double? BounceRate, double? ComplaintRate);

public sealed record FindingView(
    [property: JsonPropertyName("object")] string Kind, string Id, string Type, string Severity, double Value, double Threshold, long Volume, string Window,
    string Action, string Description, DateTimeOffset CreatedAt)
{
    public static FindingView Of(ReputationFinding f) => new(
        "reputation_finding", f.Id, f.Kind, f.Severity, f.Value, f.Threshold, f.Volume, Reputation.ReputationMonitor.Hours(f.Window), f.Action, f.Description, f.CreatedAt);
}

public sealed record DeliverabilityView(
    [property: JsonPropertyName("object")] string Kind, string Policy, bool Paused, string? PausedReason, DateTimeOffset? PausedAt,
    IReadOnlyList<WindowView> Windows, ThresholdsView Thresholds, IReadOnlyList<FindingView> Findings);

public sealed record EmailEventView(
    [property: JsonPropertyName("object")] string Kind, string Id, string Type, string EmailId, string? Recipient, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, string> Data)
{
    public static EmailEventView Of(EmailEventRecord e) => new("email_event", e.Id, e.Type, e.EmailId, e.Recipient, e.OccurredAt, e.Details);
}
