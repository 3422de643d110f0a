namespace Send.KeyService.Model;

/// <summary>One key lifecycle event: what happened to which key, and which key did it.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Action { get; set; }
    public string? ApiKeyId { get; set; }
    public string? ActorKeyId { get; set; }
    public string? ActorIp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
