namespace Send.TestSupport;

/// <summary>
/// One PostgreSQL and one Redis server per test process, started on first use and stopped when
/// the process ends. Isolation comes from a throwaway database per test class, not a server each.
/// Tests that break a server on purpose start a private one instead.
/// </summary>
public static class SharedInfrastructure
{
    private static readonly Lazy<Task<PostgresServer>> Postgres = new(StartPostgresAsync);
    private static readonly Lazy<Task<RedisServer>> Redis = new(StartRedisAsync);

    public static Task<PostgresServer> PostgresAsync() => Postgres.Value;

    public static Task<RedisServer> RedisAsync() => Redis.Value;

    private static async Task<PostgresServer> StartPostgresAsync()
    {
        var server = await PostgresServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    private static async Task<RedisServer> StartRedisAsync()
    {
        var server = await RedisServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }
}
