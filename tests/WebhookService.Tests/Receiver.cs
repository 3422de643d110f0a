using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>One request as the receiver saw it, and what it answered.</summary>
public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, int Answered)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>A customer's webhook endpoint on 127.0.0.1: records every request and answers <see cref="Status"/>.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Receiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>What the next requests are answered: 503 plays an endpoint that is down.</summary>
    public int Status { get; set; } = 200;

    /// <summary>How long each request is held before it is answered: a slow endpoint.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Set with a 3xx <see cref="Status"/>: where the answer redirects to.</summary>
    public string? Location { get; set; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Requests being held right now (arrived, not yet answered).</summary>
    public int InFlight => _inFlight;

    /// <summary>The most requests ever held at once.</summary>
    public int MaxInFlight => _maxInFlight;

    /// <summary>Requests that arrived, answered or not (a crash can leave some unanswered).</summary>
    public int Arrived => _arrived;

    private int _inFlight;
    private int _maxInFlight;
    private int _arrived;

    public static async Task<Receiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new Receiver(app, $"http://127.0.0.1:{port}/hooks");
        app.MapPost("/hooks", async (HttpRequest request, HttpResponse response) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            Interlocked.Increment(ref receiver._arrived);
            var now = Interlocked.Increment(ref receiver._inFlight);
            int max;
            while (now > (max = Volatile.Read(ref receiver._maxInFlight)) && Interlocked.CompareExchange(ref receiver._maxInFlight, now, max) != max)
            {
            }

            try
            {
                if (receiver.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(receiver.Delay);
                }

                var status = receiver.Status;
                receiver.Requests.Enqueue(new Received(request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body, status));
                if (receiver.Location is { } location)
                {
                    response.Headers.Location = location;
                }

                return Results.StatusCode(status);
            }
            finally
            {
                Interlocked.Decrement(ref receiver._inFlight);
            }
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
