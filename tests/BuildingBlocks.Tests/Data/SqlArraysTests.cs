using Npgsql;
using NpgsqlTypes;
using Send.BuildingBlocks.Data;
using Send.TestSupport;

namespace Send.BuildingBlocks.Tests.Data;

/// <summary>Lists carried per row as array literals come back from real PostgreSQL exactly as they went in.</summary>
public sealed class SqlArraysTests
{
    public static TheoryData<string[]> Lists() => new()
    {
        Array.Empty<string>(),
        new[] { "a@example.com" },
        new[] { "\"Doe, Jane\" <jane@example.com>", "{braces}", "back\\slash", "quote\"inside", "NULL", "", " spaced " },
        new[] { "Ünïcødé <用户@例子.广告>", "tab\tand\nnewline" },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task A_list_cast_back_from_its_literal_is_the_same_list(string[] list)
    {
        var postgres = await SharedInfrastructure.PostgresAsync();
        await using var connection = new NpgsqlConnection(postgres.ConnectionString("postgres"));
        await connection.OpenAsync();
        // Two rows, as a bulk statement carries them: each row's list must come back alone.
        await using var command = new NpgsqlCommand("SELECT l::text[] FROM unnest($1) AS l", connection)
        {
            Parameters = { SqlArrays.Positional([SqlArrays.Literal(list), SqlArrays.Literal(["other"])], NpgsqlDbType.Text) },
        };
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal(list, reader.GetFieldValue<string[]>(0));
        Assert.True(await reader.ReadAsync());
        Assert.Equal(["other"], reader.GetFieldValue<string[]>(0));
    }
}
