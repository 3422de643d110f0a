using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Send.BuildingBlocks.Data;
using Send.Contracts;

namespace Send.BuildingBlocks.Messaging;

public static class Outbox
{
    /// <summary>
    /// Queues an event in the caller's unit of work: it is stored by the same SaveChanges (and so
    /// the same transaction) as the state change it announces, and published by the relay after
    /// commit. A rollback therefore publishes nothing; a crash after commit publishes later.
    /// </summary>
    public static OutboxMessage Enqueue<T>(this DbContext db, string topic, T data, DateTimeOffset now) =>
        db.Enqueue(topic, EventContracts.TypeOf<T>(), data, now);

    /// <summary>As <see cref="Enqueue{T}(DbContext, string, T, DateTimeOffset)"/>, with an explicit CloudEvent type.</summary>
    public static OutboxMessage Enqueue<T>(this DbContext db, string topic, string type, T data, DateTimeOffset now)
    {
        var message = Message(topic, type, data, now);
        db.Set<OutboxMessage>().Add(message);
        return message;
    }

    /// <summary>An outbox message for <paramref name="data"/>, not yet part of any unit of work: for <see cref="InsertAsync"/>.</summary>
    public static OutboxMessage Message<T>(string topic, T data, DateTimeOffset now) => Message(topic, EventContracts.TypeOf<T>(), data, now);

    private static OutboxMessage Message<T>(string topic, string type, T data, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Topic = topic,
        Type = type,
        Payload = JsonSerializer.Serialize(data, MessagingJson.Options),
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
    };

    /// <summary>
    /// Stores many messages with one <c>INSERT</c>, in the transaction the caller has open on
    /// <paramref name="db"/> (the same guarantee as <see cref="Enqueue{T}(DbContext, string, T, DateTimeOffset)"/>).
    /// For bulk writers, where EF's per-entity inserts cost more CPU than the rest of the work.
    /// </summary>
    public static Task InsertAsync(this DbContext db, IReadOnlyCollection<OutboxMessage> messages, CancellationToken cancellationToken) =>
        messages.Count == 0 ? Task.CompletedTask : db.ExecuteBatchAsync([InsertCommand(messages)], cancellationToken);

    /// <summary>The <c>INSERT</c> of <see cref="InsertAsync"/>, for a writer that sends it in a batch with its own statements (one round trip).</summary>
    public static NpgsqlBatchCommand InsertCommand(IReadOnlyCollection<OutboxMessage> messages) => new("""
        INSERT INTO outbox_messages (id, topic, type, payload, trace_parent, created_at, attempts)
        SELECT id, topic, type, payload::jsonb, trace_parent, created_at, 0
        FROM unnest($1, $2, $3, $4, $5, $6) AS m(id, topic, type, payload, trace_parent, created_at)
        """)
    {
        Parameters =
        {
            SqlArrays.Positional(messages.Select(m => m.Id), NpgsqlDbType.Uuid), SqlArrays.Positional(messages.Select(m => m.Topic), NpgsqlDbType.Text),
            SqlArrays.Positional(messages.Select(m => m.Type), NpgsqlDbType.Text), SqlArrays.Positional(messages.Select(m => m.Payload), NpgsqlDbType.Text),
            SqlArrays.Positional(messages.Select(m => m.TraceParent), NpgsqlDbType.Text), SqlArrays.Positional(messages.Select(m => m.CreatedAt), NpgsqlDbType.TimestampTz),
        },
    };
}
