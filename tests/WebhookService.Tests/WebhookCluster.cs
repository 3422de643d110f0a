using System.Text.Json;
using Npgsql;
using Send.Contracts;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>
/// The platform with WebhookService allowed to reach receivers on 127.0.0.1 (the development
/// setting) and its clocks compressed: the retry schedule from hours to seconds (about 21 s over
/// the eight attempts), auto-disable after 5 failures over 15 s instead of 15 over 5 days, and a
/// crashed replica's claims lapsing after 6 s instead of a minute.
/// </summary>
public class WebhookCluster : SendCluster
{
    /// <summary>Whether loopback and private addresses are reachable (the development setting).</summary>
    protected virtual bool AllowPrivateNetworks => true;

    protected override IEnumerable<KeyValuePair<string, string?>> ServiceEnvironment(string folder) =>
        folder != "WebhookService" ? [] :
        [
            new("Outbound__AllowPrivateNetworks", AllowPrivateNetworks ? "true" : "false"),
            new("Webhooks__PollInterval", "00:00:00.100"),
            new("Webhooks__RetrySchedule__0", "00:00:00.500"),
            new("Webhooks__RetrySchedule__1", "00:00:01"),
            new("Webhooks__RetrySchedule__2", "00:00:02"),
            new("Webhooks__RetrySchedule__3", "00:00:03"),
            new("Webhooks__RetrySchedule__4", "00:00:05"),
            new("Webhooks__RetrySchedule__5", "00:00:05"),
            new("Webhooks__RetrySchedule__6", "00:00:05"),
            new("Webhooks__DisableAfterFailures", "5"),
            new("Webhooks__DisableAfterFailingFor", "00:00:15"),
            new("Webhooks__Timeout", "00:00:05"),
            new("Webhooks__ClaimGrace", "00:00:01"),
        ];

    /// <summary>
    /// Publishes events as EmailService would, through an outbox: rows written into
    /// WebhookService's own outbox, which its relay publishes to the topic like any other event.
    /// Returns each event's CloudEvent id (the outbox row's id), so a test can publish them again.
    /// </summary>
    public async Task<List<Guid>> PublishAsync<T>(string topic, IEnumerable<T> events)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString("WebhookService"));
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        var used = new List<Guid>();
        foreach (var data in events)
        {
            var id = Guid.CreateVersion7();
            used.Add(id);
            var command = new NpgsqlBatchCommand("INSERT INTO outbox_messages (id, topic, type, payload, created_at, attempts) VALUES (@id, @topic, @type, @payload::jsonb, now(), 0)");
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("topic", topic);
            command.Parameters.AddWithValue("type", EventContracts.TypeOf<T>());
            command.Parameters.AddWithValue("payload", JsonSerializer.Serialize(data, EventJson.Options));
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
        return used;
    }

    /// <summary>
    /// Publishes the same events again, with the same CloudEvent ids (as a relay that crashed
    /// before recording the publish does), and forgets that the fan-out consumed them (as if the
    /// inbox marks had been cleaned up), so only the deliveries' uniqueness stands between them and duplicates.
    /// </summary>
    public async Task RepublishAsync(IReadOnlyList<Guid> ids)
    {
        var eventIds = ids.Select(i => i.ToString()).ToArray();
        await CountAsync("DELETE FROM processed_events WHERE event_id = ANY(@ids)", ("ids", eventIds));
        await CountAsync("UPDATE outbox_messages SET published_at = NULL WHERE id = ANY(@ids)", ("ids", ids.ToArray()));
    }

    /// <summary>One value from WebhookService's database.</summary>
    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString("WebhookService"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>The same platform as production runs it: only public addresses are reachable and webhook URLs must be https.</summary>
public sealed class StrictWebhookCluster : WebhookCluster
{
    protected override bool AllowPrivateNetworks => false;
}

[CollectionDefinition(Name)]
public sealed class WebhookClusterDefinition : ICollectionFixture<WebhookCluster>
{
    public const string Name = "webhookservice";
}

[CollectionDefinition(Name)]
public sealed class StrictWebhookClusterDefinition : ICollectionFixture<StrictWebhookCluster>
{
    public const string Name = "webhookservice-strict";
}
