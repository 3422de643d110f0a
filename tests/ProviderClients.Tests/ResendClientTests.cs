using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Send.TestSupport;

namespace Send.ProviderClients.Tests;

/// <summary>
/// The Resend client against a local endpoint that holds each request to Resend's documented
/// format (reference/resend-openapi.yaml, <c>SendEmailRequest</c>): no Resend server can run
/// here, so this stand-in checks the wire format and answers as Resend does (an id, or
/// <c>{statusCode, name, message}</c>).
/// </summary>
public sealed class ResendClientTests : IAsyncLifetime
{
    private static readonly HashSet<string> Documented =
        ["from", "to", "subject", "bcc", "cc", "reply_to", "html", "text", "template", "headers", "scheduled_at", "attachments", "tags", "topic_id"];

    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private WebApplication _resend = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _resend = builder.Build();
        _resend.MapPost("/emails", async (HttpContext context) =>
        {
            var auth = context.Request.Headers.Authorization.ToString();
            if (auth != "Bearer re_test_key")
            {
                return Results.Json(new { statusCode = 401, name = "invalid_api_key", message = "API key is invalid" }, statusCode: 401);
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var email = body.RootElement.Clone();
            _received.Enqueue(email);
            Check(context, email);
            var subject = email.TryGetProperty("subject", out var s) ? s.GetString() : null;
            return subject switch
            {
                "rate limited" => Results.Json(new { statusCode = 429, name = "rate_limit_exceeded", message = "Too many requests" }, statusCode: 429),
                "rejected" => Results.Json(new { statusCode = 422, name = "validation_error", message = "The from domain is not verified" }, statusCode: 422),
                _ => Results.Json(new { id = Guid.NewGuid().ToString() }),
            };
        });
        await _resend.StartAsync();
    }

    public async Task DisposeAsync() => await _resend.DisposeAsync();

    [Fact]
    public async Task A_send_is_in_Resends_format_with_the_key_and_an_idempotency_key()
    {
        using var http = new HttpClient();
        var client = new ResendClient(http, new ResendOptions { BaseAddress = new Uri($"http://127.0.0.1:{_port}/"), ApiKey = "re_test_key" });
        var result = await client.SendAsync(new ResendEmail(
            "Shop <shop@resend.test>", ["ann@example.com"], "Your receipt",
            Cc: ["cc@example.com"], Bcc: ["audit@example.com"], ReplyTo: ["help@resend.test"],
            Html: "<p>Thanks</p>", Text: "Thanks",
            Headers: new Dictionary<string, string> { ["X-Campaign"] = "spring" },
            Attachments: [new ResendAttachment("r.pdf", Convert.ToBase64String("%PDF"u8.ToArray()), "application/pdf"), new ResendAttachment("logo.png", "iVBORw0K", "image/png", "logo")],
            Tags: [new ResendTag("send_email_id", "send_01abc")]), "send_01abc", CancellationToken.None);

        Assert.True(result.Succeeded, $"{result.Status} {result.ErrorName} {result.ErrorMessage}");
        Assert.Empty(_problems);
        var sent = Assert.Single(_received);
        Assert.Equal("help@resend.test", sent.GetProperty("reply_to")[0].GetString());
        Assert.Equal("logo", sent.GetProperty("attachments")[1].GetProperty("content_id").GetString());
        Assert.False(sent.TryGetProperty("scheduled_at", out _));
    }

    [Theory]
    [InlineData("rate limited", HttpStatusCode.TooManyRequests, "rate_limit_exceeded")]
    [InlineData("rejected", HttpStatusCode.UnprocessableEntity, "validation_error")]
    public async Task Errors_come_back_with_Resends_name(string subject, HttpStatusCode status, string name)
    {
        using var http = new HttpClient();
        var client = new ResendClient(http, new ResendOptions { BaseAddress = new Uri($"http://127.0.0.1:{_port}/"), ApiKey = "re_test_key" });
        var result = await client.SendAsync(new ResendEmail("a@resend.test", ["b@example.com"], subject, Text: "x"), "send_x", CancellationToken.None);
        Assert.Equal((status, name), (result.Status, result.ErrorName));
        Assert.False(result.Succeeded);
    }

    private void Check(HttpContext context, JsonElement email)
    {
        void Problem(string what) => _problems.Enqueue(what);
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            Problem("content type " + context.Request.ContentType);
        }

        if (string.IsNullOrEmpty(context.Request.Headers["Idempotency-Key"]))
        {
            Problem("no Idempotency-Key");
        }

        foreach (var property in email.EnumerateObject())
        {
            if (!Documented.Contains(property.Name))
            {
                Problem("undocumented field " + property.Name);
            }
        }

        foreach (var required in new[] { "from", "to", "subject" })
        {
            if (!email.TryGetProperty(required, out _))
            {
                Problem("missing " + required);
            }
        }

        foreach (var list in new[] { "to", "cc", "bcc", "reply_to" })
        {
            if (email.TryGetProperty(list, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
            {
                Problem($"{list} is {value.ValueKind}");
            }
        }

        if (email.TryGetProperty("attachments", out var attachments))
        {
            foreach (var attachment in attachments.EnumerateArray())
            {
                if (!attachment.TryGetProperty("filename", out _) || !attachment.TryGetProperty("content", out var content)
                    || !Convert.TryFromBase64String(content.GetString()!, new byte[content.GetString()!.Length], out _))
                {
                    Problem("attachment without filename or base64 content");
                }
            }
        }

        if (email.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => !t.TryGetProperty("name", out _) || !t.TryGetProperty("value", out _)))
        {
            Problem("tag without name/value");
        }
    }
}
