using System.Text;
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
    public static NpgsqlParameter Parameter<T>(string name, IEnumerable<T> values, NpgsqlDbType elementType)
    {
        var parameter = Positional(values, elementType);
        parameter.ParameterName = name;
        return parameter;
    }

    /// <summary>As <see cref="Parameter{T}(string, IEnumerable{T}, NpgsqlDbType)"/>, for a positional (<c>$1</c>) placeholder.</summary>
    public static NpgsqlParameter Positional<T>(IEnumerable<T> values, NpgsqlDbType elementType) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | elementType, Value = values as T[] ?? values.ToArray() };

    /// <summary>
    /// One row's list as a PostgreSQL array literal (<c>{"a","b"}</c>), to be cast back with
    /// <c>::text[]</c>. <c>unnest</c> cannot carry a list per row (it flattens a two-dimensional
    /// array), so each row's list travels as one text element. Every element is quoted and
    /// <c>"</c> and <c>\</c> are escaped, so commas, braces and quotes in a value stay in it.
    /// </summary>
    public static string Literal(IEnumerable<string> values)
    {
        var literal = new StringBuilder("{");
        foreach (var value in values)
        {
            if (literal.Length > 1)
            {
                literal.Append(',');
            }

            literal.Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    literal.Append('\\');
                }

                literal.Append(c);
            }

            literal.Append('"');
        }

        return literal.Append('}').ToString();
    }
}
