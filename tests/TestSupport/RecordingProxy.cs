using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Send.TestSupport;

/// <summary>
/// A pass-through HTTP proxy in front of a real peer that keeps each request it forwards (method,
/// path, headers, body), for what the peer itself does not show (aws-ses-v2-local's store drops
/// tags, configuration set and the Authorization header). When the peer is down it answers 502.
/// An optional local answerer serves what the peer does not implement (SES identities).
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new();

    private RecordingProxy(WebApplication app, int port)
    {
        _app = app;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<RecordingProxy> StartAsync(Uri target, Func<RecordedRequest, LocalAnswer?>? answerLocally = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new RecordingProxy(app, port);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body.ToArray());
            proxy.Requests.Enqueue(recorded);
            if (answerLocally?.Invoke(recorded) is { } local)
            {
                context.Response.StatusCode = local.Status;
                foreach (var (name, value) in local.Headers ?? new Dictionary<string, string>())
                {
                    context.Response.Headers[name] = value;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(local.Json);
                return;
            }

            using var forwarded = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, context.Request.Path + context.Request.QueryString));
            foreach (var (name, value) in headers.Where(h => h.Key is not ("Host" or "Content-Length" or "Content-Type")))
            {
                forwarded.Headers.TryAddWithoutValidation(name, value);
            }

            if (body.Length > 0)
            {
                forwarded.Content = new ByteArrayContent(body.ToArray());
                forwarded.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType);
            }

            try
            {
                using var answer = await proxy._forward.SendAsync(forwarded);
                context.Response.StatusCode = (int)answer.StatusCode;
                context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
                await context.Response.Body.WriteAsync(await answer.Content.ReadAsByteArrayAsync());
            }
            catch (HttpRequestException)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        });
        await app.StartAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _forward.Dispose();
    }
}

public sealed record LocalAnswer(int Status, string Json, IReadOnlyDictionary<string, string>? Headers = null);

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body);
