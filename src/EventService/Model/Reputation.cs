namespace Send.EventService.Model;

/// <summary>An organization's reputation policy and whether it has paused the organization.</summary>
public sealed class ReputationPolicy
{
    public const string Standard = "standard";
    public const string Strict = "strict";
    public const string None = "none";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Standard, Strict, None };

    public required string OrganizationId { get; set; }

    /// <summary><c>standard</c> pauses on a HIGH finding, <c>strict</c> on any, <c>none</c> never.</summary>
    public string Policy { get; set; } = Standard;
    public bool Paused { get; set; }
    public string? PausedReason { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public DateTimeOffset? ReinstatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Something wrong in an organization's sending, measured over a window: what it was, how bad, and what was done.</summary>
public sealed class ReputationFinding
{
    public const string BounceRate = "bounce_rate";
    public const string ComplaintRate = "complaint_rate";
    public const string VolumeSpike = "volume_spike";
    public const string Low = "LOW";
    public const string High = "HIGH";

    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Kind { get; set; }
    public required string Severity { get; set; }

    /// <summary>The measured rate (or, for a spike, the ratio to the trailing average).</summary>
    public double Value { get; set; }
    public double Threshold { get; set; }
    public long Volume { get; set; }
    public TimeSpan Window { get; set; }

    /// <summary><c>paused</c>, or <c>recorded</c> when the policy (or a recent reinstatement) did not pause.</summary>
    public required string Action { get; set; }
    public required string Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
