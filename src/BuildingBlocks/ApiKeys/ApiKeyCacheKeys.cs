namespace Send.BuildingBlocks.ApiKeys;

/// <summary>
/// The Redis layout KeyService and the Gateway share for the key cache (the seed's
/// <c>apikey:{prefix}</c>, 5-minute TTL) and its invalidation.
/// </summary>
public static class ApiKeyCacheKeys
{
    public static readonly TimeSpan EntryTtl = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an invalidated prefix stays blocked from being cached again. It outlasts any
    /// lookup that was already in flight when the key changed, so such a lookup cannot put the
    /// old answer back after the invalidation.
    /// </summary>
    public static readonly TimeSpan TombstoneTtl = TimeSpan.FromSeconds(60);

    public const string Tombstone = "invalidated";

    /// <summary>Every Gateway replica listens here and drops the prefix from its memory at once.</summary>
    public const string InvalidationChannel = "apikey:invalidate";

    public static string Entry(string prefix) => $"apikey:{prefix}";

    /// <summary>
    /// Per-key usage counted by the Gateway (fields <c>requests</c>, <c>service:{name}</c>,
    /// <c>last_used_ms</c>) and drained into PostgreSQL by KeyService. The hash tag keeps a
    /// key's usage and rate-limit windows in one Redis Cluster slot.
    /// </summary>
    public static string Usage(string keyId) => $"apikey:usage:{{{keyId}}}";

    /// <summary>Ids of keys with usage not yet drained.</summary>
    public const string UsageDirtySet = "apikey:usage:dirty";
}
