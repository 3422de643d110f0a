using System.Diagnostics;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// The messages one consumer may hold at once (<see cref="DeliveryOptions.Concurrency"/>): a
/// slot is taken for each message read and given back once it is settled.
/// </summary>
/// <remarks>
/// A read asks Redis for as many messages as there are free slots.
/// For an app that takes its topics in bulk that is not enough under load: when each read
/// asks only for the slots the last chunk gave back, chunks stay as small as the first ones
/// and every small chunk costs a whole HTTP exchange. So a read may wait, for a bounded time,
/// until deliveries in flight give back enough slots (StreamSubscriber asks for all of them);
/// meanwhile new messages wait in the stream, where another consumer may take them. An idle
/// consumer has every slot free and never waits.
/// </remarks>
public sealed class DeliverySlots(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _free = new(capacity, capacity);

    public int Free => _free.CurrentCount;

    /// <summary>
    /// Takes at least one slot (waiting as long as it takes), then every slot free at once; if
    /// that is fewer than <paramref name="gather"/>, waits up to <paramref name="window"/> for
    /// deliveries in flight to give back theirs. Returns how many slots were taken: the room
    /// for the read, all held by the caller.
    /// </summary>
    public async Task<int> TakeForReadAsync(int gather, TimeSpan window, CancellationToken cancellationToken)
    {
        await _free.WaitAsync(cancellationToken);
        var taken = 1 + TakeAllFree();
        if (taken >= gather)
        {
            return taken;
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            while (taken < gather)
            {
                var left = window - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero || !await _free.WaitAsync(left, cancellationToken))
                {
                    break;
                }

                taken += 1 + TakeAllFree();
            }
        }
        catch (OperationCanceledException)
        {
            _free.Release(taken);
            throw;
        }

        return taken;
    }

    /// <summary>One slot, for a message taken over from a crashed consumer.</summary>
    public Task TakeOneAsync(CancellationToken cancellationToken) => _free.WaitAsync(cancellationToken);

    public void Release(int count)
    {
        if (count > 0)
        {
            _free.Release(count);
        }
    }

    private int TakeAllFree()
    {
        var taken = 0;
        while (_free.Wait(0))
        {
            taken++;
        }

        return taken;
    }

    public void Dispose() => _free.Dispose();
}
