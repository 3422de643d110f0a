namespace Send.KeyService.Services;

public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary>How often the Gateway's Redis counters are drained into PostgreSQL.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(30);
}
