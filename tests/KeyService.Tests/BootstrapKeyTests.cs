using System.Security.Cryptography;
using Npgsql;
using Send.BuildingBlocks.ApiKeys;
using Send.TestSupport;

namespace Send.KeyService.Tests;

public sealed class BootstrapKeyTests
{
    [Fact]
    public async Task The_bootstrap_key_is_provisioned_once_and_stored_only_as_a_hash()
    {
        var postgres = await SharedInfrastructure.PostgresAsync();
        var database = await postgres.CreateDatabaseAsync("bootstrap");
        var token = ApiKeyToken.Generate("live");
        var env = Environment(postgres.ConnectionString(database), token);

        // Twice: a restart must not add a second key or organization.
        using (await ServiceProcess.StartAsync("KeyService", env)) { }
        using var service = await ServiceProcess.StartAsync("KeyService", env);

        await using var connection = new NpgsqlConnection(postgres.ConnectionString(database));
        await connection.OpenAsync();
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM organizations WHERE name = 'default'"));
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM api_keys"));
        Assert.Equal(ApiKeyToken.Hash(token), await Scalar(connection, "SELECT key_hash FROM api_keys"));
        Assert.Equal(token[..16], await Scalar(connection, "SELECT key_prefix FROM api_keys"));
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM audit_entries WHERE action = 'api_key.bootstrapped'"));

        // No column of any row holds the raw token, and the log never printed it.
        var dump = (string)(await Scalar(connection, "SELECT string_agg(t::text, ' ') FROM api_keys t"))!;
        Assert.DoesNotContain(token[16..], dump, StringComparison.Ordinal);
        Assert.DoesNotContain(token[16..], service.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_bootstrap_key_stops_the_service_with_a_clear_message()
    {
        var postgres = await SharedInfrastructure.PostgresAsync();
        var database = await postgres.CreateDatabaseAsync("badboot");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServiceProcess.StartAsync("KeyService", Environment(postgres.ConnectionString(database), "do_live_tooshort")));
        Assert.Contains("SEND_BOOTSTRAP_API_KEY is not a valid key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migrate_command_brings_an_empty_database_up_to_date_and_exits()
    {
        var postgres = await SharedInfrastructure.PostgresAsync();
        var database = await postgres.CreateDatabaseAsync("migrate");
        var env = Environment(postgres.ConnectionString(database), null);
        env["Database__MigrateOnStartup"] = "false";
        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}";

        using var migrate = new ExternalProcess("migrate", "dotnet", [Repository.ServiceDll("KeyService"), "migrate"], env);
        Assert.Equal(0, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        await using var connection = new NpgsqlConnection(postgres.ConnectionString(database));
        await connection.OpenAsync();
        Assert.True((long)(await Scalar(connection, "SELECT count(*) FROM \"__EFMigrationsHistory\""))! >= 1);
        Assert.Equal(0L, await Scalar(connection, "SELECT count(*) FROM api_keys"));
    }

    private static Dictionary<string, string?> Environment(string connectionString, string? bootstrapKey) => new()
    {
        ["ConnectionStrings__keysdb"] = connectionString,
        ["ConnectionStrings__redis"] = "127.0.0.1:1",
        ["Send__InternalIdentity__Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["SEND_BOOTSTRAP_API_KEY"] = bootstrapKey,
    };

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
