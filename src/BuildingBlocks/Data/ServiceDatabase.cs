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
    /// Registers the service's own PostgreSQL database: the DbContext, pooled (snake_case names, so the
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

        // Pooled: a context is reset and reused rather than built per request, which is a
        // measurable share of a request's CPU on the send path (docs/benchmarks.md).
        builder.Services.AddDbContextPool<TContext>(options => options
            .UseNpgsql(WithAutoPrepare(connectionString), npgsql => npgsql.EnableRetryOnFailure(3))
            .UseSnakeCaseNamingConvention());
        builder.Services.AddHealthChecks()
            .AddNpgSql(connectionString, name: "postgres", tags: [HealthPaths.ReadyTag], timeout: TimeSpan.FromSeconds(3));
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddNpgsql());
        return builder;
    }

    /// <summary>
    /// Statements run often (the send path's lookups and inserts, the outbox relay's claim) are
    /// prepared on each connection after a few uses, so PostgreSQL stops parsing and planning
    /// them every time. A connection string that sets <c>Max Auto Prepare</c> itself (0 for a
    /// pooler that cannot keep prepared statements) is left as it is.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 3;
        }

        return settings.ConnectionString;
    }
}
