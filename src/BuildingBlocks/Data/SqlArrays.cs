using Npgsql;
using NpgsqlTypes;

namespace Send.BuildingBlocks.Data;

/// <summary>
/// Array parameters for bulk statements (<c>INSERT … SELECT FROM unnest(@a, @b)</c>, <c>UPDATE …
/// FROM unnest(…)</c>): one statement for many rows, whose text stays the same whatever the row
/// count, so PostgreSQL parses it once and Npgsql can prepare it.
/// </summary>
public static class SqlArrays
{
    /// <summary>A parameter <paramref name="name"/> of PostgreSQL type <paramref name="elementType"/>[] holding <paramref name="values"/>.</summary>
    public static NpgsqlParameter Parameter<T>(string name, IEnumerable<T> values, NpgsqlDbType elementType) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values as T[] ?? values.ToArray() };
}
