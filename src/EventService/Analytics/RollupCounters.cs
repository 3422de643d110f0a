using Send.EventService.Model;

namespace Send.EventService.Analytics;

/// <summary>Which rollup columns a public email event adds to (column names are fixed here, never taken from input).</summary>
public static class RollupCounters
{
    public static List<string> For(string type, IReadOnlyDictionary<string, string>? details) => type switch
    {
        "email.sent" => ["sent"],
        "email.delivered" => ["delivered"],
        "email.delivery_delayed" => ["delivery_delayed"],
        "email.bounced" when details?.GetValueOrDefault("bounce_type") == "Permanent" => ["bounced", "hard_bounced"],
        "email.bounced" => ["bounced"],
        "email.complained" => ["complained"],
        "email.opened" => ["opened"],
        "email.clicked" => ["clicked"],
        "email.failed" => ["failed"],
        "email.suppressed" => ["suppressed"],
        _ => [],
    };

    public static DateTimeOffset BucketStart(DateTimeOffset at, string granularity)
    {
        var utc = at.ToUniversalTime();
        return granularity == AnalyticsRollup.Hour
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }
}
