namespace Send.Gateway.RateLimiting;

/// <summary><c>Gateway:Callbacks</c>: how often one address may call the unauthenticated routes.</summary>
public sealed class CallbackRateLimitOptions
{
    public const string Section = "Gateway:Callbacks";

    /// <summary>Requests per window per client address. SNS and Resend deliver from many addresses, so one address rarely needs more.</summary>
    public int PermitLimit { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);
}
