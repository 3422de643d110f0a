using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Send.TestSupport;

namespace Send.ServiceDefaults.Tests;

/// <summary>
/// Readiness reflects the real dependencies: a service whose PostgreSQL or Redis goes away
/// reports not ready (so Kubernetes takes it out of rotation) and recovers by itself.
/// Uses private servers, since it stops them.
/// </summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private RedisServer _redis = null!;
    private ServiceProcess _service = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _redis = await RedisServer.StartAsync();
        var database = await _postgres.CreateDatabaseAsync("ready");
        _service = await ServiceProcess.StartAsync("EmailService", new Dictionary<string, string?>
        {
            ["ConnectionStrings__emaildb"] = _postgres.ConnectionString(database),
            ["ConnectionStrings__redis"] = _redis.ConnectionString,
            ["Send__InternalIdentity__Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Send__Secrets__EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
    }

    public async Task DisposeAsync()
    {
        _service.Dispose();
        _redis.Dispose();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Ready_follows_postgresql_down_and_back_up()
    {
        using var client = _service.CreateClient();
        await WaitForReadiness(client, HttpStatusCode.OK, "ready at start");

        await _postgres.StopAsync();
        var down = await WaitForReadiness(client, HttpStatusCode.ServiceUnavailable, "not ready without PostgreSQL");
        Assert.Equal("Unhealthy", down.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", down.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await _postgres.StartAgainAsync();
        await WaitForReadiness(client, HttpStatusCode.OK, "ready again once PostgreSQL is back");
    }

    [Fact]
    public async Task Ready_follows_redis_down_and_back_up()
    {
        using var client = _service.CreateClient();
        await WaitForReadiness(client, HttpStatusCode.OK, "ready at start");

        _redis.Stop();
        var down = await WaitForReadiness(client, HttpStatusCode.ServiceUnavailable, "not ready without Redis");
        Assert.Equal("Unhealthy", down.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());

        await _redis.StartAgainAsync();
        await WaitForReadiness(client, HttpStatusCode.OK, "ready again once Redis is back");
    }

    private static async Task<JsonElement> WaitForReadiness(HttpClient client, HttpStatusCode expected, string what)
    {
        var (_, body) = await Eventually.Until(async () =>
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode == expected, TimeSpan.FromSeconds(60), what);
        return JsonDocument.Parse(body).RootElement;
    }
}
