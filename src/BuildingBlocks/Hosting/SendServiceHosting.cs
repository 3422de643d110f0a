using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.BuildingBlocks.Messaging.DeadLetters;
using Send.BuildingBlocks.Redis;
using Send.ServiceDefaults;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

namespace Send.BuildingBlocks.Hosting;

/// <summary>
/// What every Send service behind the Gateway is made of, in one place: its own database,
/// Redis, messaging (outbox, subscriptions, dead letters), the Gateway-signed identity, its
/// slice of the OpenAPI document, health and errors.
/// A service's Program.cs then only adds what is its own.
/// </summary>
public static class SendServiceHosting
{
    public static TBuilder AddSendService<TBuilder, TContext>(this TBuilder builder, string databaseName, string appId)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        builder.AddServiceDefaults();
        builder.AddInternalIdentity();
        builder.AddServiceDatabase<TBuilder, TContext>(databaseName);
        builder.AddSendRedis();
        builder.AddMessaging<TBuilder, TContext>(appId);
        builder.Services.AddSendOpenApi();
        return builder;
    }

    /// <summary>Errors first (so everything after answers problem details), then the identity gate.</summary>
    public static WebApplication UseSendService<TContext>(this WebApplication app)
        where TContext : DbContext
    {
        app.UseSendErrorHandling();
        app.UseInternalIdentity();
        app.UseMessaging<TContext>();
        app.MapDefaultEndpoints();
        app.MapSendOpenApi();
        return app;
    }

    /// <summary>
    /// The one-off commands a service's binary runs instead of serving: <c>migrate</c> and
    /// <c>dead-letters …</c>. Also applies migrations at start when configured to.
    /// Returns true when a command ran and the process should exit.
    /// </summary>
    public static async Task<bool> RunSendCommandAsync<TContext>(this WebApplication app, string[] args)
        where TContext : DbContext =>
        await app.RunDatabaseCommandAsync<TContext>(args)
        || await app.RunDeadLetterCommandAsync<TContext>(args, Console.Out);
}
