using System.ComponentModel.DataAnnotations;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// How the local transport delivers (<c>Messaging:Delivery</c>). The defaults mirror what the
/// Dapr resiliency policy in components/ gives the sidecar, so a handler sees the same retries
/// in both transports.
/// </summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string SectionName = "Messaging:Delivery";

    /// <summary>
    /// Messages of one app in flight at once (across all its topics). An app whose every topic
    /// is taken in bulk holds at least two full chunks whatever this says (StreamSubscriber).
    /// </summary>
    [Range(1, 1024)] public int Concurrency { get; set; } = 64;

    /// <summary>Attempts per message before it goes to its dead-letter topic.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 5;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one delivery (one HTTP call to the handler) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A message pending this long with no sign of life is taken over by another consumer of the
    /// same app: its consumer has crashed. Must exceed <see cref="Timeout"/> plus <see cref="MaxBackoff"/>,
    /// the longest a live consumer leaves a message untouched.
    /// </summary>
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often each consumer looks for messages abandoned by crashed consumers.</summary>
    public TimeSpan ReclaimInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A message handed out this many times without an answer is dead-lettered: it likely crashes its consumer.</summary>
    [Range(2, 1000)] public int MaxDeliveries { get; set; } = 10;

    /// <summary>The app's own address; by default the first address Kestrel listens on.</summary>
    public Uri? AppAddress { get; set; }

    public TimeSpan Backoff(int failedAttempts)
    {
        var delay = InitialBackoff * Math.Pow(2, Math.Min(failedAttempts - 1, 20));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProcessingTimeout <= Timeout + MaxBackoff)
        {
            yield return new ValidationResult(
                "ProcessingTimeout must exceed Timeout plus MaxBackoff, or a slow but live consumer would lose its messages to another.",
                [nameof(ProcessingTimeout)]);
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff || ReclaimInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Backoffs and the reclaim interval must be positive, MaxBackoff at least InitialBackoff.",
                [nameof(InitialBackoff), nameof(MaxBackoff), nameof(ReclaimInterval)]);
        }
    }
}
