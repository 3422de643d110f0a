using System.Threading.Channels;
using Send.BuildingBlocks.Messaging;
using Send.EmailService.Data;
using Send.EmailService.Model;

namespace Send.EmailService.Apis;

/// <summary>
/// Group commit for single sends: the emails of concurrent requests are written together, in one
/// transaction for all that are waiting, instead of one transaction each. Under load this divides
/// the commit, the round trips and the fixed cost of each statement by the size of the group;
/// a lone request waits for nothing, because a free writer takes whatever is queued at once.
/// A request is answered only after its group has committed, so nothing is acknowledged that is
/// not durable. If a group fails, its emails are written one by one, so one email that cannot be
/// stored never fails the others. (Requests with an Idempotency-Key, and batches, keep their
/// own transaction: their key is completed in it.)
/// </summary>
public sealed class GroupCommit(IServiceScopeFactory scopes, ILogger<GroupCommit> logger) : BackgroundService
{
    /// <summary>The most emails one transaction takes; a thousand-email batch request is ten times that.</summary>
    public const int MaxGroup = 100;

    // Two writers: while one group commits, the next one forms and is written by the other.
    private const int Writers = 2;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();

    private sealed record Pending(Email Email, IReadOnlyList<OutboxMessage> Events, TaskCompletionSource Stored);

    /// <summary>
    /// Stores the email with the next group; completes once it is committed, or throws what the
    /// write threw. Once shutdown has closed the queue (hosted services stop before Kestrel has
    /// drained its requests), the email is written by <paramref name="writeAlone"/> instead.
    /// </summary>
    public Task StoreAsync(Email email, Func<Task> writeAlone)
    {
        // The events are made here, in the request, so they carry its trace rather than the writer's.
        var pending = new Pending(email, EmailIntake.EventsOf([email]), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        // Not cancellable once queued: the email may be in a transaction already, and the caller
        // must learn whether it was stored.
        return _queue.Writer.TryWrite(pending) ? pending.Stored.Task : writeAlone();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None)));

    /// <summary>Takes no new emails (later ones are written alone), then writes those still queued.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
            }

            if (group.Count > 0)
            {
                await WriteAsync(group);
                group.Clear();
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<Pending> group)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EmailDbContext>();
            await EmailIntake.StoreAsync(db, [.. group.Select(p => p.Email)], [.. group.SelectMany(p => p.Events)], alsoInTransaction: null, CancellationToken.None);
            foreach (var pending in group)
            {
                pending.Stored.TrySetResult();
            }
        }
        catch (Exception ex) when (group.Count > 1)
        {
            logger.LogWarning(ex, "A group of {Count} emails could not be committed together; writing them one by one", group.Count);
            foreach (var pending in group)
            {
                await WriteAsync([pending]);
            }
        }
        catch (Exception ex)
        {
            group[0].Stored.TrySetException(ex);
        }
    }
}
