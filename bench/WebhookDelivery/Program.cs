using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using Send.Bench.WebhookDelivery;
using Send.BuildingBlocks.Secrets;
using Send.Contracts;
using Send.Contracts.Events;
using Send.TestSupport;
using Send.WebhookService.Services;

// Usage: Send.Bench.WebhookDelivery <events per round> <rounds> <endpoints> <latency seconds>
var events = int.Parse(args[0], CultureInfo.InvariantCulture);
var rounds = int.Parse(args[1], CultureInfo.InvariantCulture);
var endpoints = int.Parse(args[2], CultureInfo.InvariantCulture);
var latencySeconds = int.Parse(args[3], CultureInfo.InvariantCulture);
const string Organization = "org_bench";

await using var postgres = await PostgresServer.StartAsync();
using var redis = await RedisServer.StartAsync();
var database = postgres.ConnectionString(await postgres.CreateDatabaseAsync("webhooks"));
var encryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
using var service = await ServiceProcess.StartAsync("WebhookService", new Dictionary<string, string?>
{
    ["ConnectionStrings__webhooksdb"] = database,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
    ["Send__Secrets__EncryptionKey"] = encryptionKey,
    ["Send__InternalIdentity__Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
    ["Outbound__AllowPrivateNetworks"] = "true",
    ["Logging__LogLevel__Default"] = "Warning",
});
await using var sink = await Sink.StartAsync(FreePort.Next());

// Endpoints as the API would store them (sealed secrets), all of one organization, all events.
var secret = WebhookSigner.NewSecret();
var secrets = new SecretOpener(new SecretBox(Options.Create(new SecretsOptions { EncryptionKey = encryptionKey })));
await using (var connection = new NpgsqlConnection(database))
{
    await connection.OpenAsync();
    for (var i = 0; i < endpoints; i++)
    {
        var id = $"wh_bench{i}";
        await using var insert = new NpgsqlCommand("""
            INSERT INTO webhook_endpoints (id, organization_id, url, events, status, signing_secret, consecutive_failures, created_at, updated_at)
            VALUES (@id, @org, @url, '{}', 'enabled', @secret, 0, now(), now())
            """, connection);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("org", Organization);
        insert.Parameters.AddWithValue("url", $"{sink.Url}/{i}");
        insert.Parameters.AddWithValue("secret", secrets.Seal(id, secret));
        await insert.ExecuteNonQueryAsync();
    }
}

var payloads = Enumerable.Range(0, events * endpoints).Select(i => WebhookPayloads.Domain(Event(i))).ToList();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {events} events x {endpoints} endpoints = {events * endpoints} deliveries per round");

// Warm-up: JIT, connection pools, the first claims.
await ServiceRoundAsync(Math.Max(100, events / 10));
await Baseline.RunAsync(sink, payloads.Take(2000).ToList(), secret, 64);

var serviceRates = new List<double>();
var baselineRates = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    // Alternate the order so neither always runs on a warmer machine.
    foreach (var mode in round % 2 == 1 ? new[] { "service", "baseline" } : ["baseline", "service"])
    {
        var rate = mode == "service" ? await ServiceRoundAsync(events) : await Baseline.RunAsync(sink, payloads, secret, 64);
        (mode == "service" ? serviceRates : baselineRates).Add(rate);
        Console.WriteLine($"round {round} {mode,-8}: {rate,8:0} deliveries/s");
    }
}

var serviceRate = Median(serviceRates);
var baselineRate = Median(baselineRates);
Console.WriteLine($"median: WebhookService {serviceRate:0}/s, bare sign+POST loop {baselineRate:0}/s, ratio {serviceRate / baselineRate:0.00}");

// Latency at half the measured rate: events published at a steady pace, each delivery timed from its event's created_at.
var target = serviceRate / 2;
var (achieved, p50, p99, max) = await LatencyRoundAsync(target, latencySeconds);
Console.WriteLine($"latency at {target:0} deliveries/s (achieved {achieved:0}/s): p50 {p50:0} ms, p99 {p99:0} ms, max {max:0} ms");
return;

DomainLifecycleEvent Event(int i) => new(Organization, $"dom_{i}", "domain.updated", DateTimeOffset.UtcNow, $"d{i}.example", "verified", []);

async Task PublishAsync(int count)
{
    await using var connection = new NpgsqlConnection(database);
    await connection.OpenAsync();
    await using var batch = new NpgsqlBatch(connection);
    for (var i = 0; i < count; i++)
    {
        var command = new NpgsqlBatchCommand("INSERT INTO outbox_messages (id, topic, type, payload, created_at, attempts) VALUES (@id, @topic, @type, @payload::jsonb, now(), 0)");
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("topic", Topics.DomainEvents);
        command.Parameters.AddWithValue("type", EventContracts.TypeOf<DomainLifecycleEvent>());
        command.Parameters.AddWithValue("payload", JsonSerializer.Serialize(Event(i), EventJson.Options));
        batch.BatchCommands.Add(command);
    }

    await batch.ExecuteNonQueryAsync();
}

// Deliveries per second from publishing the events until the last delivery arrived.
async Task<double> ServiceRoundAsync(int count)
{
    sink.Reset();
    var expected = count * endpoints;
    var start = Stopwatch.GetTimestamp();
    await PublishAsync(count);
    await WaitForAsync(expected, TimeSpan.FromMinutes(10));
    return expected / Stopwatch.GetElapsedTime(start, sink.LastArrival).TotalSeconds;
}

async Task<(double Achieved, double P50, double P99, double Max)> LatencyRoundAsync(double deliveriesPerSecond, int seconds)
{
    sink.Reset();
    sink.MeasureLatency = true;
    var eventsPerSecond = deliveriesPerSecond / endpoints;
    var tick = TimeSpan.FromMilliseconds(50);
    var published = 0;
    var start = Stopwatch.GetTimestamp();
    using var timer = new PeriodicTimer(tick);
    while (Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(seconds))
    {
        await timer.WaitForNextTickAsync();
        var due = (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * eventsPerSecond) - published;
        if (due > 0)
        {
            await PublishAsync(due);
            published += due;
        }
    }

    await WaitForAsync(published * endpoints, TimeSpan.FromMinutes(5));
    var sorted = sink.Latencies.Order().ToList();
    sink.MeasureLatency = false;
    return (sorted.Count / Stopwatch.GetElapsedTime(start, sink.LastArrival).TotalSeconds,
        sorted[(int)(sorted.Count * 0.50)], sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * 0.99))], sorted[^1]);
}

async Task WaitForAsync(int expected, TimeSpan timeout)
{
    var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
    while (sink.Count < expected)
    {
        if (Stopwatch.GetTimestamp() > deadline || service.HasExited)
        {
            throw new TimeoutException($"{sink.Count} of {expected} deliveries arrived.\n{service.Logs[^Math.Min(service.Logs.Length, 4000)..]}");
        }

        await Task.Delay(5);
    }
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
