using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging.DeadLetters;

namespace Send.BuildingBlocks.Messaging;

public static class MessagingModel
{
    /// <summary>Adds the outbox, processed-event and dead-letter tables every service database carries.</summary>
    public static ModelBuilder AddMessagingTables(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Topic).HasMaxLength(200);
            e.Property(m => m.Type).HasMaxLength(200);
            e.Property(m => m.Payload).HasColumnType("jsonb");
            e.Property(m => m.TraceParent).HasMaxLength(100);
            // The relay only ever scans what is still unpublished; a partial index keeps that cheap.
            e.HasIndex(m => m.CreatedAt).HasFilter("published_at IS NULL");
        });
        model.Entity<ProcessedEvent>(e =>
        {
            e.ToTable("processed_events");
            e.HasKey(p => new { p.Consumer, p.EventId });
            e.Property(p => p.Consumer).HasMaxLength(200);
            e.Property(p => p.EventId).HasMaxLength(200);
        });
        model.Entity<DeadLetter>(e =>
        {
            e.ToTable("dead_letters");
            e.HasKey(d => new { d.EventId, d.Topic });
            e.Property(d => d.EventId).HasMaxLength(200);
            e.Property(d => d.Topic).HasMaxLength(200);
            e.Property(d => d.Type).HasMaxLength(200);
            e.Property(d => d.Source).HasMaxLength(200);
            e.Property(d => d.Data).HasColumnType("jsonb");
            e.Property(d => d.Reason).HasMaxLength(1000);
        });
        return model;
    }
}
