using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;

namespace Send.MessagingProbe;

/// <summary>Every delivery the handler saw (committed on its own, before the effect).</summary>
public sealed class ProbeDelivery
{
    public long Id { get; set; }
    public required string EventId { get; set; }
    public required string Instance { get; set; }
    public required string Topic { get; set; }
    public string? TraceId { get; set; }

    /// <summary>The bulk request the delivery came in, for bulk subscriptions.</summary>
    public string? Batch { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>The effect of an event, applied at most once thanks to the inbox.</summary>
public sealed class ProbeEffect
{
    public required string EventId { get; set; }
    public int Sequence { get; set; }
    public required string Instance { get; set; }
}

public sealed class ProbeDbContext(DbContextOptions<ProbeDbContext> options) : DbContext(options)
{
    public DbSet<ProbeDelivery> Deliveries => Set<ProbeDelivery>();
    public DbSet<ProbeEffect> Effects => Set<ProbeEffect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();
        modelBuilder.Entity<ProbeDelivery>().ToTable("probe_deliveries");
        modelBuilder.Entity<ProbeEffect>(e =>
        {
            e.ToTable("probe_effects");
            e.HasKey(x => x.EventId);
        });
    }
}
