using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Send.BuildingBlocks.Data;

public static class DatabaseCommands
{
    public const string MigrateCommand = "migrate";
    public const string MigrateOnStartupKey = "Database:MigrateOnStartup";

    /// <summary>
    /// Production applies migrations once, from an explicit <c>migrate</c> command (the Helm
    /// pre-upgrade Job), never from every replica racing at start-up. Development and tests set
    /// <c>Database:MigrateOnStartup</c> so one command brings a fresh database up to date.
    /// Returns true when the process was only asked to migrate and should exit.
    /// </summary>
    public static async Task<bool> RunDatabaseCommandAsync<TContext>(this WebApplication app, string[] args)
        where TContext : DbContext
    {
        var migrateOnly = args.Contains(MigrateCommand, StringComparer.Ordinal);
        if (migrateOnly || app.Configuration.GetValue<bool>(MigrateOnStartupKey))
        {
            await MigrateAsync<TContext>(app.Services, app.Logger, app.Lifetime.ApplicationStopping);
        }

        return migrateOnly;
    }

    private static async Task MigrateAsync<TContext>(IServiceProvider services, ILogger logger, CancellationToken stopping)
        where TContext : DbContext
    {
        // PostgreSQL may still be starting when the service does (Aspire starts both at once),
        // so a refused connection is retried for a while before it counts as a failure.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                await db.Database.MigrateAsync(stopping);
                logger.LogInformation("Database of {Context} is up to date", typeof(TContext).Name);
                return;
            }
            catch (Exception ex) when (IsConnectionFailure(ex) && DateTime.UtcNow < deadline)
            {
                logger.LogWarning("Database not reachable yet (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), stopping);
            }
        }
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is Npgsql.NpgsqlException { IsTransient: true }
        || ex.InnerException is Npgsql.NpgsqlException { IsTransient: true }
        || ex is System.Net.Sockets.SocketException
        || ex.InnerException is System.Net.Sockets.SocketException;
}
