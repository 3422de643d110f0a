using System.Diagnostics.Metrics;
using Send.ServiceDefaults;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>What the local transport did with each message, per topic, for dashboards and alerts.</summary>
internal static class MessagingMetrics
{
    private static readonly Counter<long> Outcomes = SendTelemetry.Meter.CreateCounter<long>(
        "send.messaging.deliveries", description: "Messages settled by the local transport, by topic and outcome.");

    public static void Record(string topic, string outcome, int count = 1) =>
        Outcomes.Add(count, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("outcome", outcome));
}
