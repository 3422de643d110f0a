using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging;

namespace Send.EmailService.Data;

/// <summary>EmailService's own database. It will own: emails, recipients and their status timelines, templates, domains, suppressions and scheduled sends; the delivery worker.</summary>
public sealed class EmailDbContext(DbContextOptions<EmailDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddMessagingTables();
}
