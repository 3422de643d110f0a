using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;
using Send.KeyService.Model;

namespace Send.KeyService.Data;

public sealed class KeysDbContext(DbContextOptions<KeysDbContext> options) : DbContext(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiKeyUsage> Usage => Set<ApiKeyUsage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Organization>(e =>
        {
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasMaxLength(40);
            e.Property(o => o.Name).HasMaxLength(200);
        });
        modelBuilder.Entity<ApiKey>(e =>
        {
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasMaxLength(40);
            e.Property(k => k.OrganizationId).HasMaxLength(40);
            e.Property(k => k.Name).HasMaxLength(200);
            e.Property(k => k.KeyPrefix).HasMaxLength(16).IsFixedLength();
            e.Property(k => k.KeyHash).HasMaxLength(64).IsFixedLength();
            e.Property(k => k.Environment).HasMaxLength(8);
            e.Property(k => k.Status).HasMaxLength(16);
            // Not unique: two keys may share a prefix; the hash tells them apart.
            e.Property(k => k.PreviousKeyPrefix).HasMaxLength(16).IsFixedLength();
            e.Property(k => k.PreviousKeyHash).HasMaxLength(64).IsFixedLength();
            e.HasIndex(k => k.KeyPrefix);
            e.HasIndex(k => k.PreviousKeyPrefix).HasFilter("previous_key_prefix IS NOT NULL");
            e.HasIndex(k => k.KeyHash).IsUnique();
            e.HasIndex(k => new { k.OrganizationId, k.CreatedAt });
            e.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId);
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.HasKey(a => a.Id);
            e.Property(a => a.Action).HasMaxLength(64);
            e.HasIndex(a => new { a.OrganizationId, a.CreatedAt });
        });
        modelBuilder.Entity<ApiKeyUsage>(e =>
        {
            e.ToTable("api_key_usage");
            e.HasKey(u => new { u.ApiKeyId, u.Service, u.Day });
            e.Property(u => u.ApiKeyId).HasMaxLength(40);
            e.Property(u => u.Service).HasMaxLength(16);
        });
        modelBuilder.AddMessagingTables();
    }
}
