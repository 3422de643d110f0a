using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Send.BuildingBlocks.Messaging.DeadLetters;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;

namespace Send.BuildingBlocks.Messaging;

public static class MessagingSetup
{
    public const string TransportKey = "Messaging:Transport";
    public const string PubSubNameKey = "Messaging:PubSubName";
    public const string RedisTransport = "redis";
    public const string DaprTransport = "dapr";

    /// <summary>
    /// Everything a service needs to publish and receive events: the outbox relay on its
    /// database, the publishing adapter, and — on the local transport — the subscriber that
    /// plays the sidecar's part. <c>Messaging:Transport</c> is <c>redis</c> (default: local runs,
    /// tests, single hosts) or <c>dapr</c> (Kubernetes, where daprd delivers).
    /// </summary>
    public static TBuilder AddMessaging<TBuilder, TContext>(this TBuilder builder, string appId)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        builder.AddOutbox<TBuilder, TContext>();
        return builder.AddEventSubscriptions(appId);
    }

    /// <summary>
    /// The receiving half alone: who the app is to the pub/sub and, on the local transport, the
    /// subscriber that delivers to its subscription endpoints.
    /// </summary>
    public static TBuilder AddEventSubscriptions<TBuilder>(this TBuilder builder, string appId)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton(new MessagingApp(appId, builder.Configuration[PubSubNameKey] ?? Components.PubSub));
        if (Transport(builder.Configuration) == RedisTransport)
        {
            builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddSingleton<SubscriptionDiscovery>();
            builder.Services.AddSingleton<EventDeliverer>();
            builder.Services.AddHostedService<StreamSubscriber>();
        }

        return builder;
    }

    /// <summary>
    /// The outbox relay for a service's database and the publishing adapter configuration picks
    /// (the sidecar's pub/sub component <c>Messaging:PubSubName</c> under Dapr).
    /// </summary>
    public static TBuilder AddOutbox<TBuilder, TContext>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (Transport(builder.Configuration) == RedisTransport)
        {
            builder.Services.TryAddSingleton<IEventPublisher, RedisStreamsPublisher>();
        }
        else
        {
            var pubSubName = builder.Configuration[PubSubNameKey] ?? Components.PubSub;
            builder.Services.TryAddSingleton<IEventPublisher>(_ => new DaprEventPublisher(new Dapr.Client.DaprClientBuilder().Build(), pubSubName));
        }

        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TContext>>());
        return builder;
    }

    /// <summary>
    /// The subscriber side every transport talks to: structured CloudEvents unwrapped to their
    /// data (envelope attributes forwarded as <c>Cloudevent.*</c> headers for
    /// <see cref="ReceivedEvent"/>), <c>/dapr/subscribe</c>, and the service's dead-letter store.
    /// </summary>
    public static WebApplication UseMessaging<TContext>(this WebApplication app)
        where TContext : DbContext
    {
        app.UseEventSubscriptions();
        app.MapDeadLetters<TContext>(app.Services.GetRequiredService<MessagingApp>());
        return app;
    }

    /// <summary>CloudEvents unwrapping and <c>/dapr/subscribe</c>, for an app without a database of its own.</summary>
    public static WebApplication UseEventSubscriptions(this WebApplication app)
    {
        app.UseCloudEvents(new CloudEventsMiddlewareOptions
        {
            ForwardCloudEventPropertiesAsHeaders = true,
            IncludedCloudEventPropertiesAsHeaders = ReceivedEvent.ForwardedAttributes,
        });
        app.MapSubscribeHandler();
        return app;
    }

    private static string Transport(IConfiguration configuration) => configuration[TransportKey] switch
    {
        null or RedisTransport => RedisTransport,
        DaprTransport => DaprTransport,
        var other => throw new InvalidOperationException($"{TransportKey} must be '{RedisTransport}' or '{DaprTransport}', not '{other}'."),
    };
}
