using System.Diagnostics;
using Send.BuildingBlocks.Messaging.Subscribing;

namespace Send.BuildingBlocks.Tests.Subscribing;

/// <summary>How a consumer's read waits for room to gather a full bulk chunk, and never longer than it may.</summary>
public sealed class DeliverySlotsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_idle_consumer_reads_at_once_with_every_slot()
    {
        using var slots = new DeliverySlots(64);

        var read = slots.TakeForReadAsync(gather: 64, Long, CancellationToken.None);

        Assert.True(read.IsCompletedSuccessfully, "an idle consumer must not wait to gather");
        Assert.Equal(64, await read);
        Assert.Equal(0, slots.Free);
    }

    [Fact]
    public async Task Without_gathering_a_read_takes_the_free_slots_and_does_not_wait_for_the_others()
    {
        using var slots = new DeliverySlots(10);
        await HoldAsync(slots, 6);

        var read = slots.TakeForReadAsync(gather: 1, Long, CancellationToken.None);

        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(4, await read);
    }

    [Fact]
    public async Task A_busy_consumer_reads_once_the_delivery_in_flight_gives_back_enough_for_a_full_chunk()
    {
        using var slots = new DeliverySlots(10);
        await HoldAsync(slots, 6);

        var read = slots.TakeForReadAsync(gather: 10, Long, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(read.IsCompleted, "four free slots are not a full chunk of ten");

        slots.Release(6);

        Assert.Equal(10, await read.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_read_waits_no_longer_than_its_window_and_reads_with_what_is_free()
    {
        using var slots = new DeliverySlots(10);
        await HoldAsync(slots, 6);
        var window = TimeSpan.FromMilliseconds(150);

        var clock = Stopwatch.StartNew();
        var taken = await slots.TakeForReadAsync(gather: 10, window, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(4, taken);
        Assert.InRange(clock.Elapsed, window - TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task With_no_slot_free_a_read_waits_for_one_however_long_past_its_window()
    {
        using var slots = new DeliverySlots(4);
        await HoldAsync(slots, 4);

        var read = slots.TakeForReadAsync(gather: 3, TimeSpan.FromMilliseconds(1), CancellationToken.None);
        await Task.Delay(100);
        Assert.False(read.IsCompleted, "a read needs at least one slot, whatever its window");

        slots.Release(3);

        Assert.InRange(await read.WaitAsync(TimeSpan.FromSeconds(5)), 1, 3);
    }

    [Fact]
    public async Task A_read_cancelled_while_gathering_gives_back_what_it_took()
    {
        using var slots = new DeliverySlots(10);
        await HoldAsync(slots, 6);
        using var stopping = new CancellationTokenSource();

        var read = slots.TakeForReadAsync(gather: 10, Long, stopping.Token);
        await Task.Delay(50);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.Equal(4, slots.Free);
    }

    private static async Task HoldAsync(DeliverySlots slots, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await slots.TakeOneAsync(CancellationToken.None);
        }
    }
}
