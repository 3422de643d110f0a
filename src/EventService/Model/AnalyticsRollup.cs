namespace Send.EventService.Model;

/// <summary>
/// An organization's counts for one hour or one day (UTC), kept up to date event by event.
/// <see cref="HardBounced"/> (permanent bounces) is what the bounce rate is measured on, as
/// mailbox providers and SES do; <see cref="Bounced"/> counts every bounce.
/// </summary>
public sealed class AnalyticsRollup
{
    public const string Hour = "hour";
    public const string Day = "day";

    public required string OrganizationId { get; set; }
    public required string Granularity { get; set; }
    public DateTimeOffset BucketStart { get; set; }
    public long Sent { get; set; }
    public long Delivered { get; set; }
    public long DeliveryDelayed { get; set; }
    public long Bounced { get; set; }
    public long HardBounced { get; set; }
    public long Complained { get; set; }
    public long Opened { get; set; }
    public long Clicked { get; set; }
    public long UniqueOpens { get; set; }
    public long UniqueClicks { get; set; }
    public long Failed { get; set; }
    public long Suppressed { get; set; }
}

/// <summary>Whether an email was opened or clicked yet: what makes the next open or click unique or not.</summary>
public sealed class EmailEngagement
{
    public required string OrganizationId { get; set; }
    public required string EmailId { get; set; }
    public DateTimeOffset? FirstOpenedAt { get; set; }
    public DateTimeOffset? FirstClickedAt { get; set; }
}
