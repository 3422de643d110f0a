using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Send.BuildingBlocks.Messaging.DeadLetters;

/// <summary>
/// The operator's view of dead letters, run against a deployed service as a one-off command
/// (<c>kubectl exec deploy/emailservice -- dotnet Send.EmailService.dll dead-letters list</c>):
/// <list type="bullet">
/// <item><c>dead-letters list</c> prints those not yet replayed, as JSON lines.</item>
/// <item><c>dead-letters replay &lt;event-id&gt;</c> or <c>--all</c> republishes them to their
/// original topic with their original id: consumers that did process one already skip it.</item>
/// </list>
/// </summary>
public static class DeadLetterCommands
{
    public const string Command = "dead-letters";

    /// <returns>True when the arguments were a dead-letters command (the process should then exit).</returns>
    public static async Task<bool> RunDeadLetterCommandAsync<TContext>(this WebApplication app, string[] args, TextWriter output)
        where TContext : DbContext
    {
        if (args.Length < 2 || args[0] != Command)
        {
            return false;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var publisher = scope.ServiceProvider.GetRequiredService<IEventPublisher>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var pending = db.Set<DeadLetter>().Where(d => d.ReplayedAt == null).OrderBy(d => d.DeadLetteredAt);
        switch (args[1])
        {
            case "list":
                foreach (var letter in await pending.AsNoTracking().ToListAsync())
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        event_id = letter.EventId, topic = letter.Topic, type = letter.Type, reason = letter.Reason,
                        dead_lettered_at = letter.DeadLetteredAt, replays = letter.Replays,
                    }));
                }

                return true;
            case "replay" when args.Length == 3:
                var chosen = args[2] == "--all" ? await pending.ToListAsync() : await pending.Where(d => d.EventId == args[2]).ToListAsync();
                if (chosen.Count == 0)
                {
                    throw new ArgumentException($"No dead letter waiting for replay matches '{args[2]}'.");
                }

                foreach (var letter in chosen)
                {
                    await publisher.PublishAsync(Replay(letter), CancellationToken.None);
                    letter.ReplayedAt = clock.GetUtcNow();
                    letter.Replays++;
                    // Saved one by one: a failure part-way leaves the rest marked as still waiting.
                    await db.SaveChangesAsync();
                    await output.WriteLineAsync($"replayed {letter.EventId} to {letter.Topic}");
                }

                return true;
            default:
                throw new ArgumentException("Usage: dead-letters list | dead-letters replay <event-id>|--all");
        }
    }

    private static CloudEvent Replay(DeadLetter letter) =>
        new(letter.EventId, letter.Source, letter.Type, letter.DeadLetteredAt, JsonDocument.Parse(letter.Data).RootElement, letter.Topic);
}
