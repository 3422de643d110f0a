namespace Send.KeyService.Model;

/// <summary>Requests a key made to one service on one (UTC) day, as drained from the Gateway's counters.</summary>
public sealed class ApiKeyUsage
{
    public required string ApiKeyId { get; set; }
    public required string Service { get; set; }
    public DateOnly Day { get; set; }
    public long Requests { get; set; }
}
