namespace Send.EmailService.Model;

/// <summary>An address an organization must not send to any more (a hard bounce, a complaint, an unsubscribe).</summary>
public sealed class Suppression
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }

    /// <summary>Lower-cased address.</summary>
    public required string Email { get; set; }

    /// <summary>One of <see cref="SuppressionReasons"/>.</summary>
    public required string Reason { get; set; }

    /// <summary>The email whose bounce or complaint added it, when one did.</summary>
    public string? SourceEmailId { get; set; }

    /// <summary>What the provider said (a bounce's diagnostic), or a note given with a manual add.</summary>
    public string? Detail { get; set; }

    /// <summary>After this the address may be sent to again; never, when null.</summary>
    public DateTimeOffset? KeepUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public static class SuppressionReasons
{
    public const string Bounce = "bounce";
    public const string Complaint = "complaint";

    /// <summary>Transient bounces that kept repeating (see <c>Suppressions:SoftBounce*</c>).</summary>
    public const string RepeatedSoftBounce = "repeated_soft_bounce";
    public const string Unsubscribe = "unsubscribe";
    public const string Manual = "manual";

    public static readonly IReadOnlySet<string> Settable = new HashSet<string>(StringComparer.Ordinal) { Manual, Unsubscribe, Bounce, Complaint };
}

/// <summary>Transient bounces of one address, counted until they suppress it or go quiet.</summary>
public sealed class SoftBounce
{
    public required string OrganizationId { get; set; }
    public required string Email { get; set; }
    public int Count { get; set; }
    public DateTimeOffset FirstAt { get; set; }
    public DateTimeOffset LastAt { get; set; }
}

/// <summary>Whether an organization may send, as its reputation policy last decided.</summary>
public sealed class SendingPause
{
    public required string OrganizationId { get; set; }
    public bool Paused { get; set; }

    /// <summary>What paused it: the finding (kind, severity, rate and threshold), shown in <c>403 sending_paused</c>.</summary>
    public string? Reason { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
