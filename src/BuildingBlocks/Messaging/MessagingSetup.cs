using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Send.BuildingBlocks.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// The outbox relay for a service's database, publishing through the local Redis Streams
    /// transport. (The Dapr adapter, chosen by configuration, comes with the messaging issue.)
    /// </summary>
    public static TBuilder AddOutbox<TBuilder, TContext>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IEventPublisher, RedisStreamsPublisher>();
        builder.Services.AddSingleton<OutboxRelay<TContext>>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TContext>>());
        return builder;
    }
}
