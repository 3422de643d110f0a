namespace Send.EmailService.Sending;

/// <summary>The delivery worker's timing (<c>Sending</c>).</summary>
public sealed class SendingOptions
{
    public const string SectionName = "Sending";

    /// <summary>
    /// Whether this process consumes the send queues. On Kubernetes the worker runs as its own
    /// deployment so it scales apart from the API; the API deployment sets it to false so its pods
    /// take no sends. Locally one process does both.
    /// </summary>
    public bool Worker { get; set; } = true;

    /// <summary>
    /// Where recipients reach this installation from the internet (<c>https://send.example.com</c>):
    /// the base of one-click unsubscribe links. Unset, sends asking for <c>unsubscribe</c> are refused.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How long a worker holds an email while sending it; longer than an SMTP timeout.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Emails per delivery from the send queues, leased, sent and settled together. Smaller than
    /// the transport's concurrency (64), so a second chunk is on its way while one is settling.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int BatchSize { get; set; } = 32;

    /// <summary>How long past its lease an email stuck in sending waits before it is requeued.</summary>
    public TimeSpan AbandonedGrace { get; set; } = TimeSpan.FromSeconds(30);
}
