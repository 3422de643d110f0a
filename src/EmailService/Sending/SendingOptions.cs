namespace Send.EmailService.Sending;

/// <summary>The delivery worker's timing (<c>Sending</c>).</summary>
public sealed class SendingOptions
{
    public const string SectionName = "Sending";

    /// <summary>How long a worker holds an email while sending it; longer than an SMTP timeout.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long past its lease an email stuck in sending waits before it is requeued.</summary>
    public TimeSpan AbandonedGrace { get; set; } = TimeSpan.FromSeconds(30);
}
