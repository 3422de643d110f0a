using System.Text.Json;
using Npgsql;
using Send.TestSupport;

namespace Send.EventService.Tests;

/// <summary>
/// The platform with EventService set up to take provider callbacks: SNS messages signed under
/// a test authority whose root it is told to trust, a certificate host on 127.0.0.1 it is told
/// to allow, a topic allowlist, a Resend webhook secret and a bounce-pipe secret.
/// </summary>
public sealed class EventCluster : SendCluster
{
    /// <summary>A Resend-style signing secret (base64 after the prefix).</summary>
    public const string ResendSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public const string DsnSecret = "test-dsn-secret-5f1c9a";

    public TestCertificateAuthority Authority { get; } = new();

    public SnsStandIn Sns { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Sns = await SnsStandIn.StartAsync(Authority.Tls);
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ServiceEnvironment(string folder) =>
        folder != "EventService" ? [] :
        [
            new("Providers__Sns__TrustRootPath", Authority.RootPemPath),
            new("Providers__Sns__CertificateHosts__0", Sns.Authority),
            new("Providers__Sns__TopicArns__0", SnsEnvelope.TopicArn),
            new("Providers__Resend__WebhookSecret", ResendSecret),
            new("Providers__Smtp__DsnSecret", DsnSecret),
        ];

    /// <summary>
    /// What EventService published on provider-events for one provider event id (or ids starting
    /// with it followed by ':'), read from its outbox: the service's output contract.
    /// </summary>
    public async Task<List<JsonElement>> PublishedAsync(string providerEventId)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString("EventService"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT payload FROM outbox_messages
            WHERE topic = 'provider-events'
              AND (payload::jsonb ->> 'provider_event_id' = @id OR payload::jsonb ->> 'provider_event_id' LIKE @prefix)
            ORDER BY created_at, payload::jsonb ->> 'recipient'
            """, connection);
        command.Parameters.AddWithValue("id", providerEventId);
        command.Parameters.AddWithValue("prefix", providerEventId.Replace("%", "\\%", StringComparison.Ordinal) + ":%");
        var published = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            published.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        }

        return published;
    }

    public async Task<long> PublishedCountAsync()
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString("EventService"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE topic = 'provider-events'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Sns is not null)
        {
            await Sns.DisposeAsync();
        }

        Authority.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EventClusterDefinition : ICollectionFixture<EventCluster>
{
    public const string Name = "eventservice";
}
