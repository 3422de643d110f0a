using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Send.TestSupport;

/// <summary>
/// The SES v2 identity calls aws-ses-v2-local does not implement (<c>CreateEmailIdentity</c>,
/// <c>GetEmailIdentity</c>, <c>DeleteEmailIdentity</c>), answered as SES documents them, for a
/// <see cref="RecordingProxy"/> in front of it. It refuses what SES would: an unsigned call, a
/// body without <c>EmailIdentity</c>, a second create (<c>AlreadyExistsException</c>), an unknown
/// identity (<c>NotFoundException</c>). <see cref="DkimStatus"/> sets what SES says of the tokens.
/// </summary>
public sealed class SesIdentityStandIn
{
    private const string Path = "/v2/email/identities";
    private readonly ConcurrentDictionary<string, string[]> _identities = new(StringComparer.OrdinalIgnoreCase);

    public string DkimStatus { get; set; } = "PENDING";

    /// <summary>When set, every identity call fails with this SES error type (e.g. <c>TooManyRequestsException</c>, 429).</summary>
    public (int Status, string Type)? Failing { get; set; }

    public IReadOnlyCollection<string> Identities => [.. _identities.Keys];

    public IReadOnlyList<string> TokensOf(string domain) => _identities[domain];

    public LocalAnswer? Answer(RecordedRequest request)
    {
        var path = request.PathAndQuery.Split('?')[0];
        if (!path.StartsWith(Path, StringComparison.Ordinal))
        {
            return null; // sends go on to aws-ses-v2-local
        }

        if (!request.Headers.TryGetValue("Authorization", out var authorization)
            || !authorization.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal) || !authorization.Contains("/ses/aws4_request", StringComparison.Ordinal))
        {
            return Error(403, "UnrecognizedClientException", "The request is not signed with SigV4 for ses.");
        }

        if (Failing is { } failing)
        {
            return Error(failing.Status, failing.Type, "Failing as the test asked.");
        }

        if (request.Method == "POST" && path == Path)
        {
            var name = JsonNode.Parse(request.Body)?["EmailIdentity"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name))
            {
                return Error(400, "BadRequestException", "EmailIdentity is required.");
            }

            return _identities.TryAdd(name, [Token(), Token(), Token()])
                ? Identity(name)
                : Error(400, "AlreadyExistsException", $"Email identity {name} already exist.");
        }

        var identity = Uri.UnescapeDataString(path[(Path.Length + 1)..]);
        if (!_identities.ContainsKey(identity))
        {
            return Error(404, "NotFoundException", $"Email identity {identity} does not exist.");
        }

        return request.Method switch
        {
            "GET" => Identity(identity),
            "DELETE" => _identities.TryRemove(identity, out _) ? new LocalAnswer(200, "{}") : null,
            _ => Error(405, "BadRequestException", $"{request.Method} is not an identity operation."),
        };
    }

    private LocalAnswer Identity(string name) => new(200, JsonSerializer.Serialize(new
    {
        IdentityType = "DOMAIN",
        VerifiedForSendingStatus = DkimStatus == "SUCCESS",
        DkimAttributes = new
        {
            SigningEnabled = true,
            Status = DkimStatus,
            Tokens = _identities[name],
            SigningAttributesOrigin = "AWS_SES",
            CurrentSigningKeyLength = "RSA_2048_BIT",
            NextSigningKeyLength = "RSA_2048_BIT",
        },
    }));

    private static LocalAnswer Error(int status, string type, string message) =>
        new(status, JsonSerializer.Serialize(new { message }), new Dictionary<string, string> { ["x-amzn-ErrorType"] = $"{type}:http://internal.amazon.com/coral/com.amazon.coral.service/" });

    /// <summary>SES tokens are 32 lowercase letters and digits.</summary>
    private static string Token() => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 32);
}
