using Npgsql;
using Send.BuildingBlocks;
using Send.TestSupport;

namespace Send.EmailService.Tests;

/// <summary>The platform with a real SMTP server (smtp4dev) behind EmailService.</summary>
public class EmailCluster : SendCluster
{
    public MailCatcher Mail { get; private set; } = null!;

    /// <summary>The DNS server EmailService verifies domains against.</summary>
    public DnsServer Dns { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Mail = await MailCatcher.StartAsync();
        Dns = await DnsServer.StartAsync();
        await base.InitializeAsync();
    }

    /// <summary>
    /// A mail server, a DNS server, domain checks every second or two, and recovery timings
    /// short enough for a test to watch a crash heal: abandoned queue messages are taken over
    /// after 12 s, abandoned leases after 10 + 2 s.
    /// </summary>
    protected override IEnumerable<KeyValuePair<string, string?>> ServiceEnvironment(string folder) =>
        folder != "EmailService" ? [] :
        EmailServiceSettings().Concat(
        [
            new("ConnectionStrings__smtp", Mail.ConnectionString),
            new("Messaging__Delivery__Timeout", "00:00:05"),
            new("Messaging__Delivery__MaxBackoff", "00:00:05"),
            new("Messaging__Delivery__ProcessingTimeout", "00:00:12"),
            new("Messaging__Delivery__ReclaimInterval", "00:00:02"),
            new("Sending__Lease", "00:00:10"),
            new("Sending__AbandonedGrace", "00:00:02"),
            new("Domains__Resolvers__0", Dns.Address),
            new("Domains__CheckInterval", "00:00:01"),
            new("Domains__PendingBackoff", "00:00:01"),
            new("Domains__MaxPendingBackoff", "00:00:02"),
            new("Domains__RecheckInterval", "00:00:02"),
            new("Domains__DnsTimeout", "00:00:02"),
            // Attachment URLs may reach the tests' file server on 127.0.0.2, and nothing else private.
            new("Outbound__AllowedAddresses__0", "127.0.0.2"),
            new("Outbound__Timeout", "00:00:05"),
            new("Sending__PublicBaseUrl", "https://send.example.test/"),
        ]);

    /// <summary>More EmailService settings for a cluster built on this one (providers, say).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> EmailServiceSettings() => [];

    public async Task<long> CountAsync(string sql) => (long)(await ScalarAsync(DatabaseConnectionString("EmailService"), sql))!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Mail?.Dispose();
        Dns?.Dispose();
    }

    /// <summary>The organization the bootstrap key belongs to.</summary>
    public async Task<string> OrganizationIdAsync() =>
        (string)(await ScalarAsync(DatabaseConnectionString("KeyService"), "SELECT id FROM organizations WHERE name = 'default'"))!;

    /// <summary>
    /// A sender domain of the default organization, written straight into EmailService's
    /// database for tests about sending (without a DKIM key, so its mail is not signed).
    /// <see cref="DomainsApiTests"/> goes through the domains API and DNS instead.
    /// </summary>
    public async Task<string> AddDomainAsync(string name, bool verified = true, string? organizationId = null)
    {
        var id = Ids.New("dom");
        await ExecuteAsync(DatabaseConnectionString("EmailService"),
            "INSERT INTO domains (id, organization_id, name, status, created_at) VALUES (@id, @org, @name, @status, now()) ON CONFLICT (organization_id, name) DO NOTHING",
            ("id", id), ("org", organizationId ?? await OrganizationIdAsync()), ("name", name), ("status", verified ? "verified" : "pending"));
        return id;
    }

    /// <summary>Runs <paramref name="sql"/> on EmailService's database, for a test that must break it on purpose.</summary>
    public async Task ExecuteSqlAsync(string sql) => await ExecuteAsync(DatabaseConnectionString("EmailService"), sql);

    public async Task AddSuppressionAsync(string email) =>
        await ExecuteAsync(DatabaseConnectionString("EmailService"),
            "INSERT INTO suppressions (id, organization_id, email, reason, created_at) VALUES (@id, @org, @email, 'bounce', now())",
            ("id", Ids.New("sup")), ("org", await OrganizationIdAsync()), ("email", email));

    /// <summary>
    /// Publishes an event as a service would, through EmailService's outbox (its relay puts it on
    /// the topic), for events another service or a provider sends in production.
    /// </summary>
    public async Task PublishAsync<T>(string topic, T data) =>
        await ExecuteAsync(DatabaseConnectionString("EmailService"),
            "INSERT INTO outbox_messages (id, topic, type, payload, created_at, attempts) VALUES (@id, @topic, @type, @payload::jsonb, now(), 0)",
            ("id", Guid.CreateVersion7()), ("topic", topic), ("type", Send.Contracts.EventContracts.TypeOf<T>()),
            ("payload", System.Text.Json.JsonSerializer.Serialize(data, Send.Contracts.EventJson.Options)));

    public async Task<long> EmailCountAsync() =>
        (long)(await ScalarAsync(DatabaseConnectionString("EmailService"), "SELECT count(*) FROM emails"))!;

    /// <summary>One value from EmailService's database.</summary>
    public Task<object?> ScalarAsync(string sql) => ScalarAsync(DatabaseConnectionString("EmailService"), sql);

    private static async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
