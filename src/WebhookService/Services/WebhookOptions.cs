namespace Send.WebhookService.Services;

/// <summary><c>Webhooks:*</c>: how deliveries are retried, how many run at once, when a failing endpoint is disabled.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Resend's (Svix's) schedule: after the first attempt fails, retry after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: 8 attempts over about 27.5 hours.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Delays between attempts; empty means <see cref="DefaultRetrySchedule"/> (a list default would be appended to by the binder, not replaced).</summary>
    public List<TimeSpan> RetrySchedule { get; set; } = [];

    /// <summary>Each delay is stretched by up to this fraction at random, so endpoints that failed together are not retried in lock step.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>
    /// Attempts in flight per endpoint, across all replicas: one slow endpoint cannot take every
    /// worker. An attempt counts until its outcome is committed, not only while its request is
    /// out, so the limit also covers the answers being recorded: at 4 an endpoint's next requests
    /// waited for the last ones' settling, and a fast endpoint got about half of what 8 gives
    /// (docs/benchmarks.md). 8 is still an eighth of a replica's <see cref="Concurrency"/>.
    /// </summary>
    public int ConcurrencyPerEndpoint { get; set; } = 8;

    /// <summary>Attempts in flight per replica.</summary>
    public int Concurrency { get; set; } = 64;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How much of a response body is read and kept with the attempt.</summary>
    public int ResponseLimit { get; set; } = 4096;

    /// <summary>How long the secret before a rotation still signs, beside the new one.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An endpoint is disabled after this many consecutive failed attempts…</summary>
    public int DisableAfterFailures { get; set; } = 15;

    /// <summary>…spanning at least this long (Svix disables after 5 days of failures): a short outage never disables.</summary>
    public TimeSpan DisableAfterFailingFor { get; set; } = TimeSpan.FromDays(5);

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Count > 0 ? RetrySchedule : DefaultRetrySchedule;

    /// <summary>How much longer than <see cref="Timeout"/> a claim lasts: time to settle the attempt after the answer (the tests shorten it to see a crash recovered quickly).</summary>
    public TimeSpan ClaimGrace { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>The claim lapses after this: longer than any attempt, so only a crashed worker's deliveries are taken over.</summary>
    public TimeSpan ClaimTimeout => Timeout + ClaimGrace;
}
