using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Send.TestSupport;

/// <summary>
/// A local stand-in for Resend's <c>POST /emails</c>. No Resend server can run here, so this
/// endpoint holds every request to Resend's documented format (reference/resend-openapi.yaml,
/// <c>SendEmailRequest</c>; the Bearer key; an <c>Idempotency-Key</c>) and records what broke
/// it, then answers as Resend does: <c>{id}</c>, or <c>{statusCode, name, message}</c> for the
/// subjects "rate limited" (429) and "rejected" (422). A subject starting "slow" is answered after 7 s; one starting "throttled once" gets a 429 the first time each email (by
/// idempotency key) is offered.
/// </summary>
public sealed class ResendStandIn : IAsyncDisposable
{
    private static readonly HashSet<string> Documented =
        ["from", "to", "subject", "bcc", "cc", "reply_to", "html", "text", "template", "headers", "scheduled_at", "attachments", "tags", "topic_id"];

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _throttled = new();

    private ResendStandIn(WebApplication app, int port)
    {
        _app = app;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    /// <summary>Each accepted-for-checking request: its JSON body and its Idempotency-Key.</summary>
    public ConcurrentQueue<(JsonElement Body, string? IdempotencyKey)> Received { get; } = new();

    /// <summary>Every way a request departed from Resend's format.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    public static async Task<ResendStandIn> StartAsync(string apiKey)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new ResendStandIn(app, port);
        app.MapPost("/emails", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {apiKey}")
            {
                return Results.Json(new { statusCode = 401, name = "invalid_api_key", message = "API key is invalid" }, statusCode: 401);
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var email = body.RootElement.Clone();
            standIn.Received.Enqueue((email, context.Request.Headers["Idempotency-Key"].FirstOrDefault()));
            standIn.Check(context, email);
            var subject = email.TryGetProperty("subject", out var s) ? s.GetString() : null;
            if (subject?.StartsWith("slow", StringComparison.Ordinal) == true)
            {
                // Longer than the test transport's delivery timeout (5 s), shorter than the provider timeout.
                await Task.Delay(TimeSpan.FromSeconds(7));
            }

            // Throttled the first time a given email is offered, accepted when it comes back.
            if (subject?.StartsWith("throttled once", StringComparison.Ordinal) == true
                && standIn._throttled.TryAdd(context.Request.Headers["Idempotency-Key"].FirstOrDefault() ?? "", true))
            {
                return Results.Json(new { statusCode = 429, name = "rate_limit_exceeded", message = "Too many requests" }, statusCode: 429);
            }

            return subject switch
            {
                "rate limited" => Results.Json(new { statusCode = 429, name = "rate_limit_exceeded", message = "Too many requests" }, statusCode: 429),
                "rejected" => Results.Json(new { statusCode = 422, name = "validation_error", message = "The from domain is not verified" }, statusCode: 422),
                _ => Results.Json(new { id = Guid.NewGuid().ToString() }),
            };
        });
        await app.StartAsync();
        return standIn;
    }

    private void Check(HttpContext context, JsonElement email)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            Problems.Enqueue("content type " + context.Request.ContentType);
        }

        if (string.IsNullOrEmpty(context.Request.Headers["Idempotency-Key"]))
        {
            Problems.Enqueue("no Idempotency-Key");
        }

        foreach (var property in email.EnumerateObject().Where(p => !Documented.Contains(p.Name)))
        {
            Problems.Enqueue("undocumented field " + property.Name);
        }

        foreach (var required in new[] { "from", "to", "subject" }.Where(r => !email.TryGetProperty(r, out _)))
        {
            Problems.Enqueue("missing " + required);
        }

        foreach (var list in new[] { "to", "cc", "bcc", "reply_to" })
        {
            if (email.TryGetProperty(list, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                Problems.Enqueue($"{list} is {value.ValueKind}");
            }
        }

        if (email.TryGetProperty("attachments", out var attachments))
        {
            foreach (var attachment in attachments.EnumerateArray())
            {
                var content = attachment.TryGetProperty("content", out var c) ? c.GetString() : null;
                if (!attachment.TryGetProperty("filename", out _) || content is null || !Convert.TryFromBase64String(content, new byte[content.Length], out _))
                {
                    Problems.Enqueue("attachment without filename or base64 content");
                }
            }
        }

        if (email.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => !t.TryGetProperty("name", out _) || !t.TryGetProperty("value", out _)))
        {
            Problems.Enqueue("tag without name/value");
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
