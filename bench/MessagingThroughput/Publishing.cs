namespace Send.Bench.MessagingThroughput;

public static class Publishing
{
    /// <summary>Commands in flight at once, for the baseline and the transport alike.</summary>
    public const int InFlight = 64;

    public static async Task RunAsync(int events, Func<Task> publishOne)
    {
        using var window = new SemaphoreSlim(InFlight);
        var pending = new List<Task>(events);
        for (var i = 0; i < events; i++)
        {
            await window.WaitAsync();
            pending.Add(publishOne().ContinueWith(t =>
            {
                window.Release();
                t.GetAwaiter().GetResult();
            }, TaskScheduler.Default));
        }

        await Task.WhenAll(pending);
    }
}
