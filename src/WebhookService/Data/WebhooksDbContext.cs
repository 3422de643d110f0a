using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;
using Send.WebhookService.Model;

namespace Send.WebhookService.Data;

/// <summary>WebhookService's own database: webhook endpoints, their deliveries and every attempt; the messaging tables.</summary>
public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options)
{
    public DbSet<WebhookEndpoint> Endpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> Deliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> Attempts => Set<WebhookAttempt>();
    public DbSet<WebhookEndpointEvent> EndpointEvents => Set<WebhookEndpointEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();
        modelBuilder.Entity<WebhookEndpoint>(e =>
        {
            e.ToTable("webhook_endpoints");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.OrganizationId, x.Id });
        });
        modelBuilder.Entity<WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasKey(x => x.Id);
            // Fan-out inserts ON CONFLICT DO NOTHING on this: one delivery per (endpoint, event), however often the event arrives.
            e.HasIndex(x => new { x.EndpointId, x.EventId }).IsUnique();
            e.HasIndex(x => new { x.EndpointId, x.Id });
            // The claim, per endpoint: its earliest due deliveries, and its attempts in flight.
            e.HasIndex(x => new { x.EndpointId, x.NextAttemptAt }).HasFilter("status IN ('pending', 'sending')");
            e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.AttemptLog).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WebhookAttempt>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.DeliveryId, x.At });
        });
        modelBuilder.Entity<WebhookEndpointEvent>(e =>
        {
            e.ToTable("webhook_endpoint_events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.EndpointId, x.Id });
            e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
