using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Send.ServiceDefaults.Health;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Redis;

public static class RedisSetup
{
    public const string ConnectionName = "redis";

    /// <summary>
    /// One shared multiplexer per process. It does not abort when Redis is down at start, so the
    /// service comes up, reports not-ready, and recovers by itself when Redis returns. Commands
    /// fail fast while it is down rather than queue, so callers can fall back at once.
    /// A service that keeps working without Redis (the Gateway) registers the check as
    /// <paramref name="failureStatus"/> Degraded, which stays ready.
    /// </summary>
    public static TBuilder AddSendRedis<TBuilder>(this TBuilder builder, HealthStatus failureStatus = HealthStatus.Unhealthy) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Connection string '{ConnectionName}' is missing: set ConnectionStrings__{ConnectionName}.");
        }

        var options = Options(connectionString);
        var multiplexer = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));

        builder.Services.AddSingleton(_ => multiplexer.Value);
        builder.Services.AddHealthChecks()
            .AddRedis(_ => multiplexer.Value, name: "redis", failureStatus: failureStatus, tags: [HealthPaths.ReadyTag], timeout: TimeSpan.FromSeconds(3));
        return builder;
    }

    /// <summary>
    /// How every Send process connects to Redis. Commands fail fast while Redis is down. I/O runs on
    /// the .NET thread pool rather than the client's own dedicated threads: on a small pod those
    /// threads spin for work beside the thread pool's, and a profile of the messaging benchmark
    /// found a third of its CPU in them.
    /// </summary>
    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 3000;
        options.AsyncTimeout = 2000;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }
}
