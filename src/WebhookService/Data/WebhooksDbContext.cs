using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;

namespace Send.WebhookService.Data;

/// <summary>WebhookService's own database. It will own: webhook endpoints, their deliveries and every attempt.</summary>
public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddMessagingTables();
}
