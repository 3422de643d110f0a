using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Send.ProviderClients;

public sealed class ResendOptions
{
    public Uri BaseAddress { get; set; } = new("https://api.resend.com");

    /// <summary>The Resend API key (<c>re_…</c>), from a secret store; never logged.</summary>
    public string ApiKey { get; set; } = "";
}

/// <summary>Resend's <c>POST /emails</c> body (snake_case on the wire).</summary>
public sealed record ResendEmail(
    string From,
    IReadOnlyList<string> To,
    string Subject,
    IReadOnlyList<string>? Cc = null,
    IReadOnlyList<string>? Bcc = null,
    IReadOnlyList<string>? ReplyTo = null,
    string? Html = null,
    string? Text = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    IReadOnlyList<ResendAttachment>? Attachments = null,
    IReadOnlyList<ResendTag>? Tags = null);

public sealed record ResendAttachment(string Filename, string Content, string? ContentType = null, string? ContentId = null);

public sealed record ResendTag(string Name, string Value);

/// <summary>Resend's answer: the email id, or its error <c>name</c> and message with the HTTP status.</summary>
public sealed record ResendResult(string? Id, HttpStatusCode Status, string? ErrorName, string? ErrorMessage)
{
    public bool Succeeded => Id is not null;
}

/// <summary>
/// A typed client for Resend's send endpoint. The idempotency key is Send's email id, so a
/// send retried after a lost answer is not delivered twice.
/// </summary>
public sealed class ResendClient(HttpClient http, ResendOptions options)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<ResendResult> SendAsync(ResendEmail email, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseAddress, "emails"))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(email, Json)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        request.Headers.UserAgent.ParseAdd("send-resend-client/1.0");

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return response.IsSuccessStatusCode && root.TryGetProperty("id", out var id)
                ? new ResendResult(id.GetString(), response.StatusCode, null, null)
                : new ResendResult(null, response.StatusCode,
                    root.TryGetProperty("name", out var name) ? name.GetString() : null,
                    root.TryGetProperty("message", out var message) ? message.GetString() : null);
        }
        catch (JsonException)
        {
            return new ResendResult(null, response.StatusCode, null, body.Length > 300 ? body[..300] : body);
        }
    }
}
