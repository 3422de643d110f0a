using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace Send.ProviderClients;

/// <summary>Where SES is and who we are to it.</summary>
public sealed class SesOptions
{
    public string Region { get; set; } = "us-east-1";

    /// <summary>Overrides <c>https://email.{region}.amazonaws.com</c> (a VPC endpoint, or a local SES in tests).</summary>
    public Uri? Endpoint { get; set; }
    public string? ConfigurationSetName { get; set; }

    public Uri BaseAddress => Endpoint ?? new Uri($"https://email.{Region}.amazonaws.com");
}

/// <summary>One <c>SendEmail</c> of a raw MIME message.</summary>
public sealed record SesRawEmail(
    string FromEmailAddress,
    IReadOnlyList<string> Recipients,
    byte[] RawMessage,
    IReadOnlyDictionary<string, string> Tags,
    string? ConfigurationSetName = null,
    string? TenantName = null);

/// <summary>What SES answered: its message id, or its error type and message with the HTTP status.</summary>
public sealed record SesResult(string? MessageId, HttpStatusCode Status, string? ErrorType, string? ErrorMessage)
{
    public bool Succeeded => MessageId is not null;
}

/// <summary>
/// The part of the SES v2 API Send uses: <c>POST /v2/email/outbound-emails</c> with Raw
/// content, signed with SigV4 (service <c>ses</c>). Credentials come from AWSSDK.Core's default
/// chain (environment, profile, web identity / IRSA, container and instance roles), resolved
/// once and refreshed by AWSSDK.Core as they expire; they are never logged.
/// </summary>
public sealed class SesV2Client(HttpClient http, SesOptions options, Func<CancellationToken, Task<ImmutableCredentials>> credentials, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Credentials from AWSSDK.Core's default chain.</summary>
    /// <remarks>
    /// The chain is walked once; the credentials object it finds refreshes itself (web identity,
    /// instance roles), so each send only asks it for the current keys.
    /// </remarks>
    public static Func<CancellationToken, Task<ImmutableCredentials>> DefaultCredentials()
    {
        var source = new Lazy<Task<AWSCredentials>>(() => Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync(null));
        return async _ => await (await source.Value).GetCredentialsAsync();
    }

    public async Task<SesResult> SendRawAsync(SesRawEmail email, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new SendEmailBody(
            email.FromEmailAddress,
            new DestinationBody(email.Recipients),
            new ContentBody(new RawBody(email.RawMessage)),
            email.ConfigurationSetName ?? options.ConfigurationSetName,
            [.. email.Tags.Select(t => new TagBody(t.Key, t.Value))],
            email.TenantName), Json);
        var uri = new Uri(options.BaseAddress, "/v2/email/outbound-emails");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        var identity = await credentials(cancellationToken);
        var signed = AwsSigV4.Sign(HttpMethod.Post, uri, new Dictionary<string, string> { ["content-type"] = "application/json" }, body,
            identity, options.Region, "ses", clock.GetUtcNow().UtcDateTime);
        foreach (var (name, value) in signed)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var answer = JsonSerializer.Deserialize<SendEmailAnswer>(text);
            return new SesResult(answer?.MessageId ?? "", response.StatusCode, null, null);
        }

        return new SesResult(null, response.StatusCode, ErrorType(response, text), ErrorMessage(text));
    }

    /// <summary>SES names its error in <c>x-amzn-ErrorType</c> (<c>MessageRejected:http://…</c>) or in the body's <c>__type</c>/<c>code</c>.</summary>
    private static string? ErrorType(HttpResponseMessage response, string body)
    {
        if (response.Headers.TryGetValues("x-amzn-ErrorType", out var values))
        {
            return values.First().Split(':')[0];
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var type = json.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : json.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            return type?.Split('#').Last().Split(':')[0];
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ErrorMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var m) || json.RootElement.TryGetProperty("Message", out m) ? m.GetString() : body;
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }

    private sealed record SendEmailBody(
        string FromEmailAddress, DestinationBody Destination, ContentBody Content, string? ConfigurationSetName, List<TagBody> EmailTags, string? TenantName);

    private sealed record DestinationBody(IReadOnlyList<string> ToAddresses);

    private sealed record ContentBody(RawBody Raw);

    private sealed record RawBody(byte[] Data);

    private sealed record TagBody(string Name, string Value);

    private sealed record SendEmailAnswer(string? MessageId);
}
