using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using Send.ServiceDefaults.Identity;
using Send.TestSupport;

namespace Send.BuildingBlocks.Tests.Transport;

/// <summary>
/// MessagingProbe processes on real PostgreSQL and a Redis of their own (so streams and
/// consumer groups of one test never meet another's). Each test starts the processes it needs
/// with the delivery settings it wants to observe.
/// </summary>
public sealed class ProbeCluster : IAsyncLifetime
{
    private readonly List<ServiceProcess> _processes = [];

    public string IdentitySecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    public RedisServer Redis { get; private set; } = null!;

    public PostgresServer Postgres { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await SharedInfrastructure.PostgresAsync();
        Redis = await RedisServer.StartAsync();
    }

    public async Task<string> NewDatabaseAsync() => Postgres.ConnectionString(await Postgres.CreateDatabaseAsync("probe"));

    /// <summary>Starts a probe as app <paramref name="appId"/> on <paramref name="database"/>, with fast test-sized delivery settings.</summary>
    public async Task<ServiceProcess> StartProbeAsync(string appId, string database, IDictionary<string, string?>? settings = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["Send__InternalIdentity__Secret"] = IdentitySecret,
            ["ConnectionStrings__redis"] = Redis.ConnectionString,
            ["ConnectionStrings__probedb"] = database,
            ["Probe__AppId"] = appId,
            ["Messaging__Outbox__PollInterval"] = "00:00:00.050",
            ["Messaging__Delivery__InitialBackoff"] = "00:00:00.200",
            ["Messaging__Delivery__MaxBackoff"] = "00:00:01",
            ["Messaging__Delivery__Timeout"] = "00:00:10",
            ["Messaging__Delivery__ProcessingTimeout"] = "00:00:30",
            ["Messaging__Delivery__ReclaimInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var process = await ServiceProcess.StartAsync("MessagingProbe", env);
        _processes.Add(process);
        return process;
    }

    /// <summary>Publishes through the probe's outbox; returns the event ids.</summary>
    public async Task<IReadOnlyList<string>> PublishAsync(ServiceProcess publisher, object request, string? traceParent = null)
    {
        using var http = publisher.CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, "/probe/publish") { Content = JsonContent.Create(request) };
        message.Headers.Add(InternalIdentityToken.HeaderName, InternalIdentityToken.Sign(
            Caller.ForService("tests"), "POST", "/probe/publish", InternalIdentityToken.KeyFromSecret(IdentitySecret), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        if (traceParent is not null)
        {
            message.Headers.Add("traceparent", traceParent);
        }

        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body + "\n" + publisher.Logs);
        return JsonDocument.Parse(body).RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetString()!).ToList();
    }

    public static async Task<List<T>> QueryAsync<T>(string database, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Deliveries the consumer saw, in the order it saw them.</summary>
    public static Task<List<(string EventId, string Instance, DateTimeOffset At, string? TraceId)>> DeliveriesAsync(string database) =>
        QueryAsync(database, "SELECT event_id, instance, at, trace_id FROM probe_deliveries ORDER BY id",
            r => (r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetString(3)));

    /// <summary>Applied effects (at most one per event, by the inbox).</summary>
    public static Task<List<(string EventId, int Sequence, string Instance)>> EffectsAsync(string database) =>
        QueryAsync(database, "SELECT event_id, sequence, instance FROM probe_effects",
            r => (r.GetString(0), r.GetInt32(1), r.GetString(2)));

    public static Task<List<(string EventId, string Topic, string? Reason, bool Replayed)>> DeadLettersAsync(string database) =>
        QueryAsync(database, "SELECT event_id, topic, reason, replayed_at IS NOT NULL FROM dead_letters",
            r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetBoolean(3)));

    public string Logs => string.Join("\n", _processes.Select(p => p.Logs));

    public Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Redis.Dispose();
        return Task.CompletedTask;
    }
}
