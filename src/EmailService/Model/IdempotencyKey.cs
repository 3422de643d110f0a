namespace Send.EmailService.Model;

/// <summary>
/// A client's <c>Idempotency-Key</c> for a send, remembered for 24 hours: the request it came
/// with (as a hash) and, once done, the answer to repeat.
/// </summary>
public sealed class IdempotencyKey
{
    public required string OrganizationId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }

    /// <summary>Null while the first request is in flight; then the answer given to it.</summary>
    public string? Response { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
