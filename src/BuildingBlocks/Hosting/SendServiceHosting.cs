using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Redis;
using Send.ServiceDefaults;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

namespace Send.BuildingBlocks.Hosting;

/// <summary>
/// What every Send service behind the Gateway is made of, in one place: its own database,
/// Redis, the Gateway-signed identity, its slice of the OpenAPI document, health and errors.
/// A service's Program.cs then only adds what is its own.
/// </summary>
public static class SendServiceHosting
{
    public static TBuilder AddSendService<TBuilder, TContext>(this TBuilder builder, string databaseName)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        builder.AddServiceDefaults();
        builder.AddInternalIdentity();
        builder.AddServiceDatabase<TBuilder, TContext>(databaseName);
        builder.AddSendRedis();
        builder.Services.AddSendOpenApi();
        return builder;
    }

    /// <summary>Errors first (so everything after answers problem details), then the identity gate.</summary>
    public static WebApplication UseSendService(this WebApplication app)
    {
        app.UseSendErrorHandling();
        app.UseInternalIdentity();
        app.MapDefaultEndpoints();
        app.MapSendOpenApi();
        return app;
    }
}
