using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging.Subscribing;

namespace Send.BuildingBlocks.Messaging.DeadLetters;

public static class DeadLetterEndpoints
{
    public const string Route = "/dapr/dead-letters";

    /// <summary>
    /// Subscribes the service to its own dead-letter topic and stores what arrives there, so
    /// dead letters can be listed and replayed the same way under Dapr and the local transport.
    /// Storing is idempotent (upsert on event and topic), and this subscription has no
    /// dead-letter topic of its own: if storing fails, the message stays queued and is retried.
    /// </summary>
    public static IEndpointRouteBuilder MapDeadLetters<TContext>(this IEndpointRouteBuilder endpoints, MessagingApp messagingApp)
        where TContext : DbContext
    {
        endpoints.MapPost(Route, async (ReceivedEvent received, HttpRequest request, TContext db, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                using var reader = new StreamReader(request.Body);
                var data = await reader.ReadToEndAsync(cancellationToken);
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO dead_letters (event_id, topic, type, source, data, reason, dead_lettered_at, replays)
                    VALUES ({received.Id}, {received.Topic ?? "unknown"}, {received.Type}, {received.Source}, {data}::jsonb,
                            {Truncate(received.DeadLetterReason)}, {clock.GetUtcNow()}, 0)
                    ON CONFLICT (event_id, topic) DO UPDATE
                    SET reason = EXCLUDED.reason, dead_lettered_at = EXCLUDED.dead_lettered_at, replayed_at = NULL
                    """, cancellationToken);
                return SubscriptionResults.Success();
            })
            .WithTopic(messagingApp.PubSubName, messagingApp.DeadLetterTopic)
            .ExcludeFromDescription();
        return endpoints;
    }

    private static string? Truncate(string? reason) => reason is { Length: > 1000 } ? reason[..1000] : reason;
}
