using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;
using Send.EmailService.Model;

namespace Send.EmailService.Data;

/// <summary>EmailService's own database: emails, their attachments and status timelines, sender domains, suppressions; the messaging tables.</summary>
public sealed class EmailDbContext(DbContextOptions<EmailDbContext> options) : DbContext(options)
{
    public DbSet<Email> Emails => Set<Email>();
    public DbSet<EmailAttachment> Attachments => Set<EmailAttachment>();
    public DbSet<EmailTimelineEntry> Timeline => Set<EmailTimelineEntry>();
    public DbSet<SenderDomain> Domains => Set<SenderDomain>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<SoftBounce> SoftBounces => Set<SoftBounce>();
    public DbSet<SendingPause> SendingPauses => Set<SendingPause>();
    public DbSet<Template> Templates => Set<Template>();
    public DbSet<TemplateVersion> TemplateVersions => Set<TemplateVersion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();
        modelBuilder.Entity<Email>(e =>
        {
            e.ToTable("emails");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.OrganizationId).HasMaxLength(40);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Headers).HasColumnType("jsonb").HasConversion(Json<Dictionary<string, string>>());
            e.Property(x => x.Tags).HasColumnType("jsonb").HasConversion(Json<List<EmailTag>>());
            // The organization's emails, newest first, is what listing reads.
            e.HasIndex(x => new { x.OrganizationId, x.Id });
            // The scheduler only looks at what is still waiting for its time.
            e.HasIndex(x => x.ScheduledAt).HasFilter("status = 'scheduled'");
            e.HasIndex(x => x.Recipients).HasMethod("gin");
            e.HasIndex(x => x.ProviderMessageId).HasFilter("provider_message_id IS NOT NULL");
            // A bounce from an MTA names the message only by its Message-ID.
            e.HasIndex(x => x.MessageId);
            e.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.EmailId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<EmailAttachment>().ToTable("email_attachments");
        modelBuilder.Entity<EmailTimelineEntry>(e =>
        {
            e.ToTable("email_timeline");
            e.HasIndex(x => x.EmailId);
        });
        modelBuilder.Entity<SenderDomain>(e =>
        {
            e.ToTable("domains");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
            // "Is it verified by another organization?" and the checker's "what is due?".
            e.HasIndex(x => x.Name);
            e.HasIndex(x => x.NextCheckAt);
            e.Property(x => x.Records).HasColumnType("jsonb").HasConversion(Json<List<DomainRecord>>()).HasDefaultValueSql("'[]'::jsonb");
            e.Property(x => x.Region).HasDefaultValue("us-east-1");
            e.Property(x => x.ReturnPathSubdomain).HasDefaultValue("send");
            e.Property(x => x.Tls).HasDefaultValue("opportunistic");
        });
        modelBuilder.Entity<IdempotencyKey>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(x => new { x.OrganizationId, x.Key });
            e.Property(x => x.Key).HasMaxLength(IdempotencyKeysMaxLength);
            e.Property(x => x.Response).HasColumnType("jsonb");
            e.HasIndex(x => x.CreatedAt);
        });
        modelBuilder.Entity<Template>(e =>
        {
            e.ToTable("templates");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.OrganizationId).HasMaxLength(40);
            e.Property(x => x.Alias).HasMaxLength(TemplateAliasMaxLength);
            e.Property(x => x.Kind).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.Defaults).HasColumnType("jsonb");
            e.Property(x => x.Variables).HasColumnType("jsonb").HasConversion(Json<List<StoredVariable>>());
            e.HasIndex(x => new { x.OrganizationId, x.Id });
            // An alias names one live template; an archived one frees its alias.
            e.HasIndex(x => new { x.OrganizationId, x.Alias }).IsUnique().HasFilter("alias IS NOT NULL AND status <> 'archived'");
        });
        modelBuilder.Entity<TemplateVersion>(e =>
        {
            e.ToTable("template_versions");
            e.HasKey(x => new { x.TemplateId, x.Version });
            e.Property(x => x.Defaults).HasColumnType("jsonb");
            e.Property(x => x.Variables).HasColumnType("jsonb").HasConversion(Json<List<StoredVariable>>());
            e.HasOne<Template>().WithMany().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Suppression>(e =>
        {
            e.ToTable("suppressions");
            e.HasKey(x => new { x.OrganizationId, x.Email });
            e.Property(x => x.Id).IsRequired();
            e.HasIndex(x => x.Id).IsUnique();
            e.HasIndex(x => new { x.OrganizationId, x.Id });
        });
        modelBuilder.Entity<SoftBounce>(e =>
        {
            e.ToTable("soft_bounces");
            e.HasKey(x => new { x.OrganizationId, x.Email });
        });
        modelBuilder.Entity<SendingPause>(e =>
        {
            e.ToTable("sending_pauses");
            e.HasKey(x => x.OrganizationId);
        });
    }

    private const int IdempotencyKeysMaxLength = 256;
    public const int TemplateAliasMaxLength = 100;

    /// <summary>How a <c>jsonb</c> column of this context holds <paramref name="value"/>: for writers that bypass EF (<see cref="NewEmailRows"/>).</summary>
    public static string ToJsonColumn<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    private static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T, string> Json<T>() where T : new() =>
        new(value => ToJsonColumn(value),
            json => JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web) ?? new T());
}
