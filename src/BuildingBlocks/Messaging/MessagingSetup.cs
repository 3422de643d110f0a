using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Send.BuildingBlocks.Messaging;

public static class MessagingSetup
{
    public const string TransportKey = "Messaging:Transport";
    public const string PubSubNameKey = "Messaging:PubSubName";

    /// <summary>
    /// The outbox relay for a service's database and the publishing adapter configuration picks:
    /// <c>Messaging:Transport</c> = <c>redis</c> (default: local runs, tests, single hosts) or
    /// <c>dapr</c> (Kubernetes; the sidecar's pub/sub component <c>Messaging:PubSubName</c>).
    /// </summary>
    public static TBuilder AddOutbox<TBuilder, TContext>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        var transport = builder.Configuration[TransportKey] ?? "redis";
        switch (transport)
        {
            case "redis":
                builder.Services.TryAddSingleton<IEventPublisher, RedisStreamsPublisher>();
                break;
            case "dapr":
                var pubSubName = builder.Configuration[PubSubNameKey] ?? DaprEventPublisher.DefaultPubSubName;
                builder.Services.TryAddSingleton<IEventPublisher>(_ => new DaprEventPublisher(new Dapr.Client.DaprClientBuilder().Build(), pubSubName));
                break;
            default:
                throw new InvalidOperationException($"{TransportKey} must be 'redis' or 'dapr', not '{transport}'.");
        }

        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TContext>>());
        return builder;
    }
}
