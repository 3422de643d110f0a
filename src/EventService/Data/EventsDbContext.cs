using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;
using Send.EventService.Model;

namespace Send.EventService.Data;

/// <summary>EventService's own database: the email event log, analytics rollups, reputation policies and findings; the messaging tables.</summary>
public sealed class EventsDbContext(DbContextOptions<EventsDbContext> options) : DbContext(options)
{
    public DbSet<EmailEventRecord> EmailEvents => Set<EmailEventRecord>();
    public DbSet<AnalyticsRollup> Rollups => Set<AnalyticsRollup>();
    public DbSet<EmailEngagement> Engagement => Set<EmailEngagement>();
    public DbSet<ReputationPolicy> ReputationPolicies => Set<ReputationPolicy>();
    public DbSet<ReputationFinding> ReputationFindings => Set<ReputationFinding>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();
        modelBuilder.Entity<EmailEventRecord>(e =>
        {
            e.ToTable("email_events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.OrganizationId, x.Id });
            e.HasIndex(x => new { x.OrganizationId, x.EmailId });
            e.Property(x => x.Details).HasColumnType("jsonb").HasConversion(
                value => JsonSerializer.Serialize(value, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Web) ?? new Dictionary<string, string>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(), d => d.Count, d => new Dictionary<string, string>(d)));
        });
        modelBuilder.Entity<AnalyticsRollup>(e =>
        {
            e.ToTable("analytics_rollups");
            e.HasKey(x => new { x.OrganizationId, x.Granularity, x.BucketStart });
            // Rows are upserted column by column (only what an event adds), so every counter starts at 0 in the database.
            foreach (var counter in e.Metadata.GetProperties().Where(p => p.ClrType == typeof(long)))
            {
                counter.SetDefaultValueSql("0");
            }
        });
        modelBuilder.Entity<EmailEngagement>(e =>
        {
            e.ToTable("email_engagement");
            e.HasKey(x => new { x.OrganizationId, x.EmailId });
        });
        modelBuilder.Entity<ReputationPolicy>(e =>
        {
            e.ToTable("reputation_policies");
            e.HasKey(x => x.OrganizationId);
        });
        modelBuilder.Entity<ReputationFinding>(e =>
        {
            e.ToTable("reputation_findings");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
        });
    }
}
