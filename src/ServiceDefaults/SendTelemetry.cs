using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Send.ServiceDefaults;

/// <summary>The one activity source and meter Send's own code reports through.</summary>
public static class SendTelemetry
{
    public const string ActivitySourceName = "Send";
    public const string MeterName = "Send";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    public static readonly Meter Meter = new(MeterName);
}
