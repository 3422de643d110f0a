namespace Send.KeyService.Model;

/// <summary>A tenant: every record anywhere in Send belongs to exactly one.</summary>
public sealed class Organization
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
