using NUlid;

namespace Send.BuildingBlocks;

/// <summary>
/// Public identifiers are a type prefix and a lowercase ULID (<c>org_01j…</c>, <c>send_01j…</c>):
/// the prefix tells a reader what an id names, the ULID sorts by creation time, which keeps
/// cursor pagination and B-tree inserts cheap.
/// </summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}_{Ulid.NewUlid().ToString().ToLowerInvariant()}";

    public static bool HasPrefix(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + 27 && id.StartsWith(prefix + "_", StringComparison.Ordinal);
}
