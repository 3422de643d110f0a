namespace Send.EmailService.Model;

/// <summary>
/// A domain an organization sends from. Only a verified one may appear in <c>from</c> with a live
/// key. (The domains API — DNS records, DKIM, verification — fills this table; see issue 8.)
/// </summary>
public sealed class SenderDomain
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public const string Verified = "verified";
}
