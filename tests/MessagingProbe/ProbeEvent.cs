namespace Send.MessagingProbe;

/// <summary>
/// What the probe publishes. <c>Behaviour</c> tells the handler how to answer:
/// <c>succeed</c>, <c>retry-twice</c> (RETRY, RETRY, then SUCCESS), <c>fail</c> (500 for the
/// first <c>Failures</c> deliveries), <c>drop</c> (DROP), <c>slow</c> (succeeds after
/// <c>DelayMs</c>) or <c>hang</c> (never answers on an instance started with Probe:Hang).
/// </summary>
public sealed record ProbeEvent(string Behaviour, int Sequence, int Failures = 0, int DelayMs = 0);

public sealed record PublishRequest(IReadOnlyList<ProbeEvent> Events, bool Priority = false, bool Rollback = false, bool Bulk = false);

public static class ProbeTopics
{
    public const string Normal = "probe";
    public const string Priority = "probe-priority";
    public const string Bulk = "probe-bulk";
    public const string EventType = "send.probe.happened.v1";
}
