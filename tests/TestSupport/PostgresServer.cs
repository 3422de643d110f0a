using Npgsql;

namespace Send.TestSupport;

/// <summary>
/// A private PostgreSQL server from the Debian packages, in a throwaway data directory on a
/// free port, with fsync off (tests need speed, not durability across power loss). It can be
/// stopped and started again on the same port and data, to test how services ride out an outage.
/// PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private ExternalProcess? _server;

    private PostgresServer(string dataDirectory, int port)
    {
        _dataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("send-pg-").FullName;
        await Tools.RunAsync("chmod", ["755", dataDirectory]);
        if (Tools.IsRoot)
        {
            await Tools.RunAsync("chown", ["postgres:postgres", dataDirectory]);
        }

        await Tools.RunAsync(AsServiceUser(Path.Combine(Tools.PostgresBin, "initdb")),
            [.. AsServiceUserArgs(Path.Combine(Tools.PostgresBin, "initdb")), "-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);

        var server = new PostgresServer(dataDirectory, FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=5";

    /// <summary>Creates an empty database with a unique name (one per test class).</summary>
    public async Task<string> CreateDatabaseAsync(string hint)
    {
        var name = $"{hint}_{Guid.NewGuid():N}"[..Math.Min(hint.Length + 13, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public async Task StartAgainAsync()
    {
        var postgres = Path.Combine(Tools.PostgresBin, "postgres");
        _server = new ExternalProcess("postgres", AsServiceUser(postgres),
            [.. AsServiceUserArgs(postgres), "-D", _dataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-k", _dataDirectory, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
             "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"]);
        await Eventually.Until(async () =>
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
            await connection.OpenAsync();
            return true;
        }, ok => ok, TimeSpan.FromSeconds(30), "PostgreSQL to accept connections");
    }

    /// <summary>
    /// Stops the server abruptly (immediate mode: no checkpoint, open connections cut), as a
    /// crash would, yet leaves the data directory able to start again.
    /// </summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        var pgCtl = Path.Combine(Tools.PostgresBin, "pg_ctl");
        await Tools.RunAsync(AsServiceUser(pgCtl), [.. AsServiceUserArgs(pgCtl), "-D", _dataDirectory, "stop", "-m", "immediate", "-w"]);
        _server.Dispose();
        _server = null;
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Tools.RunAsync("rm", ["-rf", _dataDirectory]);
    }

    private static string AsServiceUser(string program) => Tools.IsRoot ? "runuser" : program;

    private static string[] AsServiceUserArgs(string program) => Tools.IsRoot ? ["-u", "postgres", "--", program] : [];
}
