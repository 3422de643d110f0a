using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Messaging;
using StackExchange.Redis;

namespace Send.BuildingBlocks.Tests;

/// <summary>A state change the tests make, so an event has something to announce.</summary>
public sealed class Widget
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
}

public sealed class OutboxTestContext(DbContextOptions<OutboxTestContext> options) : DbContext(options)
{
    public DbSet<Widget> Widgets => Set<Widget>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddMessagingTables();
}

/// <summary>A real database and Redis, and relays built the way a service builds them.</summary>
public sealed class OutboxHarness(string connectionString, IConnectionMultiplexer redis, OutboxOptions? options = null)
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddDbContext<OutboxTestContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention())
        .BuildServiceProvider();

    public OutboxTestContext NewContext() => _services.CreateScope().ServiceProvider.GetRequiredService<OutboxTestContext>();

    public async Task CreateSchemaAsync()
    {
        await using var db = NewContext();
        await db.Database.EnsureCreatedAsync();
    }

    public OutboxRelay<OutboxTestContext> NewRelay(IEventPublisher? publisher = null) => new(
        _services.GetRequiredService<IServiceScopeFactory>(),
        publisher ?? new RedisStreamsPublisher(redis),
        new HostingEnvironment { ApplicationName = "Send.Tests" },
        TimeProvider.System,
        Options.Create(options ?? new OutboxOptions()),
        NullLogger<OutboxRelay<OutboxTestContext>>.Instance);
}
