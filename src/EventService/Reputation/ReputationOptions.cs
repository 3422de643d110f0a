namespace Send.EventService.Reputation;

/// <summary>
/// <c>Reputation:*</c>. Rates are measured over <see cref="Window"/> once at least
/// <see cref="MinimumSent"/> emails were sent in it. The defaults are SES's published review
/// (LOW) and probation-risk (HIGH) levels: bounces 5 % / 10 %, complaints 0.1 % / 0.5 %.
/// </summary>
public sealed class ReputationOptions
{
    public const string Section = "Reputation";

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);
    public long MinimumSent { get; set; } = 100;
    public double BounceRateLow { get; set; } = 0.05;
    public double BounceRateHigh { get; set; } = 0.10;
    public double ComplaintRateLow { get; set; } = 0.001;
    public double ComplaintRateHigh { get; set; } = 0.005;

    /// <summary>A LOW finding when an hour's sends reach this many times the trailing hourly average…</summary>
    public double SpikeFactor { get; set; } = 10;

    /// <summary>…and at least this many (a small sender doubling is not abuse).</summary>
    public long SpikeMinimum { get; set; } = 1000;
    public TimeSpan SpikeBaseline { get; set; } = TimeSpan.FromDays(7);

    /// <summary>After an operator reinstates an organization, findings are recorded but do not pause it again for this long.</summary>
    public TimeSpan ReinstateGrace { get; set; } = TimeSpan.FromHours(24);
}
