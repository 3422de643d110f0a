using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;

namespace Send.EventService.Data;

/// <summary>EventService's own database. It will own: provider feedback ingestion, the canonical event log, analytics rollups and tenant reputation.</summary>
public sealed class EventsDbContext(DbContextOptions<EventsDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddMessagingTables();
}
