using Send.EmailService.Data;

namespace Send.EmailService.Tests;

/// <summary>
/// Accepted emails are written with COPY and an explicit column list, bypassing EF. A column added
/// by a later migration and missing from that list would silently take its default (or fail every
/// send, when NOT NULL): this holds the list to the migrated schema.
/// </summary>
public sealed class NewEmailRowsTests(EmailCluster cluster) : IClassFixture<EmailCluster>
{
    [Theory]
    [InlineData("emails")]
    [InlineData("email_attachments")]
    public async Task The_intake_writes_every_column_the_migrations_create(string table)
    {
        var written = table == "emails" ? NewEmailRows.EmailColumns : [.. NewEmailRows.AttachmentColumns, "id"];

        var columns = (string)(await cluster.ScalarAsync(
            $"SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'"))!;

        Assert.Equal(columns.Split(',').Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
    }
}
