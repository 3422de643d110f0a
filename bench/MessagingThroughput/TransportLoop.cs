using System.Diagnostics;
using System.Text.Json;
using Send.BuildingBlocks.Messaging;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.BuildingBlocks.Redis;
using Send.ServiceDefaults.Identity;
using StackExchange.Redis;

namespace Send.Bench.MessagingThroughput;

/// <summary>
/// The transport end to end: <see cref="RedisStreamsPublisher"/> → stream → N consumer apps
/// (each its own Kestrel, identity gate, CloudEvents middleware and <see cref="StreamSubscriber"/>,
/// competing in one consumer group) → a minimal-API handler answering SUCCESS.
/// </summary>
public static class TransportLoop
{
    public sealed record BenchEvent(int Sequence);

    /// <param name="EventsPerRequest">How many events the handler received per request on average: the chunking achieved.</param>
    public sealed record Result(double Rate, double EventsPerRequest);

    /// <param name="bulk">Deliver through a bulk subscription (up to 100 events a request) rather than one request per event.</param>
    public static async Task<Result> RunAsync(string redisAddress, int consumers, int events, string secret, bool bulk)
    {
        var appId = $"bench-{Guid.NewGuid():N}"[..14];
        var topic = $"{appId}-topic";
        var received = 0;
        var requests = 0;
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var apps = new List<WebApplication>();
        for (var i = 0; i < consumers; i++)
        {
            var app = BuildConsumer(redisAddress, appId, topic, secret, bulk, count =>
            {
                Interlocked.Increment(ref requests);
                if (Interlocked.Add(ref received, count) >= events)
                {
                    allReceived.TrySetResult();
                }
            });
            await app.StartAsync();
            apps.Add(app);
        }

        // The publisher connects as the services do (RedisSetup.Options); admin only to watch the consumers arrive.
        var options = RedisSetup.Options(redisAddress);
        options.AllowAdmin = true;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        await WaitForConsumersAsync(redis, appId, consumers);
        var publisher = new RedisStreamsPublisher(redis);
        var data = JsonSerializer.SerializeToElement(new BenchEvent(1));

        var clock = Stopwatch.StartNew();
        await Publishing.RunAsync(events, () => publisher.PublishAsync(
            new CloudEvent(Guid.CreateVersion7().ToString(), "bench", "send.bench.happened.v1", DateTimeOffset.UtcNow, data, topic), CancellationToken.None));
        await allReceived.Task;
        var rate = events / clock.Elapsed.TotalSeconds;

        foreach (var app in apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await redis.GetDatabase().KeyDeleteAsync(topic);
        return new Result(rate, (double)Volatile.Read(ref received) / Math.Max(1, Volatile.Read(ref requests)));
    }

    private static WebApplication BuildConsumer(string redisAddress, string appId, string topic, string secret, bool bulk, Action<int> handled)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redisAddress,
            [$"{InternalIdentityOptions.SectionName}:Secret"] = secret,
            ["Messaging:Delivery:Concurrency"] = Environment.GetEnvironmentVariable("BENCH_CONCURRENCY") ?? "64",
        });
        builder.AddInternalIdentity();
        builder.AddSendRedis();
        builder.AddEventSubscriptions(appId);

        var app = builder.Build();
        app.UseInternalIdentity();
        app.UseEventSubscriptions();
        var messagingApp = app.Services.GetRequiredService<MessagingApp>();
        if (bulk)
        {
            app.MapPost("/events/bench", (BulkDelivery delivery) =>
                {
                    var answers = new BulkAnswers();
                    foreach (var entry in delivery.Entries)
                    {
                        _ = entry.Data<BenchEvent>();
                        answers.Success(entry);
                    }

                    handled(delivery.Entries.Count);
                    return answers.ToResult();
                })
                .WithBulkSubscription(messagingApp, topic, int.Parse(Environment.GetEnvironmentVariable("BENCH_CHUNK") ?? "100", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            app.MapPost("/events/bench", (ReceivedEvent received, BenchEvent data) =>
                {
                    handled(1);
                    return SubscriptionResults.Success();
                })
                .WithSubscription(messagingApp, topic);
        }

        return app;
    }

    /// <summary>
    /// Timing starts once every consumer is waiting in XREADGROUP on its own connection (named
    /// after the consumer), not while they boot. Redis lists a consumer in the group only once it
    /// has been handed something, so the connections are what can be watched.
    /// </summary>
    private static async Task WaitForConsumersAsync(ConnectionMultiplexer redis, string appId, int consumers)
    {
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        for (var waited = 0; waited < 600; waited++)
        {
            var reading = (await server.ClientListAsync()).Count(c =>
                c.Name?.StartsWith(appId, StringComparison.Ordinal) == true && c.LastCommand == "xreadgroup");
            if (reading >= consumers)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The consumers did not start reading.");
    }
}
