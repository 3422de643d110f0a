using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
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
        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            Topic = topic,
            Type = type,
            Payload = JsonSerializer.Serialize(data, MessagingJson.Options),
            TraceParent = Activity.Current?.Id,
            CreatedAt = now,
        };
        db.Set<OutboxMessage>().Add(message);
        return message;
    }
}
