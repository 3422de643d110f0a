using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Trace;
using Send.ServiceDefaults.Health;

namespace Send.BuildingBlocks.Data;

public static class ServiceDatabase
{
    /// <summary>
    /// Registers the service's own PostgreSQL database: the DbContext (snake_case names, so the
    /// schema reads naturally in psql), a readiness check and tracing of its commands.
    /// </summary>
    public static TBuilder AddServiceDatabase<TBuilder, TContext>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Connection string '{connectionName}' is missing: set ConnectionStrings__{connectionName}.");
        }

        builder.Services.AddDbContext<TContext>(options => options
            .UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure(3))
            .UseSnakeCaseNamingConvention());
        builder.Services.AddHealthChecks()
            .AddNpgSql(connectionString, name: "postgres", tags: [HealthPaths.ReadyTag], timeout: TimeSpan.FromSeconds(3));
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddNpgsql());
        return builder;
    }
}
