using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Send.Bench.WebhookDelivery;

/// <summary>The customers' receiver: answers 200 at once, counts deliveries, and notes each one's delay since its event's <c>created_at</c>.</summary>
public sealed class Sink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private Sink(WebApplication app, int port)
    {
        _app = app;
        Url = $"http://127.0.0.1:{port}/hooks";
    }

    public string Url { get; }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Milliseconds from the event to its delivery, when <see cref="MeasureLatency"/> is on.</summary>
    public ConcurrentBag<double> Latencies { get; } = [];

    public bool MeasureLatency { get; set; }

    public long LastArrival { get; private set; }

    public static async Task<Sink> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var sink = new Sink(app, port);
        app.MapPost("/hooks/{n}", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            if (sink.MeasureLatency)
            {
                var created = body.RootElement.GetProperty("created_at").GetDateTimeOffset();
                sink.Latencies.Add((DateTimeOffset.UtcNow - created).TotalMilliseconds);
            }

            Interlocked.Increment(ref sink._count);
            sink.LastArrival = Stopwatch.GetTimestamp();
            return Results.Ok();
        });
        await app.StartAsync();
        return sink;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        Latencies.Clear();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
