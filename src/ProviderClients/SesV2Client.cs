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
        var (status, text, errorType) = await CallAsync(HttpMethod.Post, "/v2/email/outbound-emails", body, cancellationToken);
        if (errorType is null)
        {
            var answer = JsonSerializer.Deserialize<SendEmailAnswer>(text);
            return new SesResult(answer?.MessageId ?? "", status, null, null);
        }

        return new SesResult(null, status, errorType, ErrorMessage(text));
    }

    /// <summary>
    /// <c>CreateEmailIdentity</c> for a domain with Easy DKIM (SES generates the key and gives
    /// three tokens to publish as CNAMEs). A domain SES already knows is not an error: its
    /// tokens are read with <c>GetEmailIdentity</c>, so asking twice is safe.
    /// </summary>
    public async Task<SesIdentity> CreateDomainIdentityAsync(string domain, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new CreateIdentityBody(domain), Json);
        var (status, text, errorType) = await CallAsync(HttpMethod.Post, "/v2/email/identities", body, cancellationToken);
        return errorType switch
        {
            null => IdentityOf(text),
            "AlreadyExistsException" => await GetIdentityAsync(domain, cancellationToken),
            _ => throw new SesApiException(status, errorType, ErrorMessage(text)),
        };
    }

    public async Task<SesIdentity> GetIdentityAsync(string identity, CancellationToken cancellationToken)
    {
        var (status, text, errorType) = await CallAsync(HttpMethod.Get, IdentityPath(identity), null, cancellationToken);
        return errorType is null ? IdentityOf(text) : throw new SesApiException(status, errorType, ErrorMessage(text));
    }

    /// <summary><c>DeleteEmailIdentity</c>; an identity SES does not know is already deleted.</summary>
    public async Task DeleteIdentityAsync(string identity, CancellationToken cancellationToken)
    {
        var (status, text, errorType) = await CallAsync(HttpMethod.Delete, IdentityPath(identity), null, cancellationToken);
        if (errorType is not (null or "NotFoundException"))
        {
            throw new SesApiException(status, errorType, ErrorMessage(text));
        }
    }

    private static string IdentityPath(string identity) => "/v2/email/identities/" + Uri.EscapeDataString(identity);

    private static SesIdentity IdentityOf(string text)
    {
        var answer = JsonSerializer.Deserialize<IdentityAnswer>(text);
        return new SesIdentity(answer?.DkimAttributes?.Tokens ?? [], answer?.DkimAttributes?.Status, answer?.VerifiedForSendingStatus ?? false);
    }

    /// <summary>One signed call: the answer's status, body, and SES's error type when it failed.</summary>
    private async Task<(HttpStatusCode Status, string Body, string? ErrorType)> CallAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(options.BaseAddress, path);
        using var request = new HttpRequestMessage(method, uri);
        var signedHeaders = new Dictionary<string, string>();
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new("application/json");
            signedHeaders["content-type"] = "application/json";
        }

        var identity = await credentials(cancellationToken);
        var signed = AwsSigV4.Sign(method, uri, signedHeaders, body ?? [], identity, options.Region, "ses", clock.GetUtcNow().UtcDateTime);
        foreach (var (name, value) in signed)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text, response.IsSuccessStatusCode ? null : ErrorType(response, text) ?? response.StatusCode.ToString());
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

    private sealed record CreateIdentityBody(string EmailIdentity);

    private sealed record IdentityAnswer(bool VerifiedForSendingStatus, DkimAnswer? DkimAttributes);

    private sealed record DkimAnswer(string? Status, List<string>? Tokens);
}

/// <summary>A domain identity at SES: its Easy DKIM tokens and SES's own view of them.</summary>
public sealed record SesIdentity(IReadOnlyList<string> DkimTokens, string? DkimStatus, bool VerifiedForSending);

/// <summary>SES refused a management call (not a send: sends answer with <see cref="SesResult"/>).</summary>
public sealed class SesApiException(HttpStatusCode status, string errorType, string? message)
    : Exception($"SES answered {(int)status} {errorType}: {message}")
{
    public HttpStatusCode Status { get; } = status;
    public string ErrorType { get; } = errorType;
}
