namespace Send.EmailService.Model;

/// <summary>An address an organization must not send to any more (a hard bounce, a complaint, an unsubscribe).</summary>
public sealed class Suppression
{
    public required string OrganizationId { get; set; }

    /// <summary>Lower-cased address.</summary>
    public required string Email { get; set; }

    public required string Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
