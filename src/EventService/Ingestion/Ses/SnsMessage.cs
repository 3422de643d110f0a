using System.Text.Json;

namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// The JSON envelope SNS posts to an HTTP(S) subscription (<c>Content-Type: text/plain</c>): a
/// <c>Notification</c>, a <c>SubscriptionConfirmation</c> or an <c>UnsubscribeConfirmation</c>,
/// signed by SNS. Raw message delivery sends no envelope and so cannot be verified: it is refused.
/// </summary>
public sealed record SnsMessage(
    string Type,
    string MessageId,
    string TopicArn,
    string Message,
    string Timestamp,
    string SignatureVersion,
    string Signature,
    string SigningCertUrl,
    string? Subject,
    string? Token,
    string? SubscribeUrl)
{
    public const string NotificationType = "Notification";
    public const string SubscriptionConfirmationType = "SubscriptionConfirmation";
    public const string UnsubscribeConfirmationType = "UnsubscribeConfirmation";

    /// <summary>When SNS sent the message, the time an event falls back to when its record has none.</summary>
    public DateTimeOffset SentAt =>
        DateTimeOffset.TryParse(Timestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTimeOffset.UnixEpoch;

    public static SnsMessage Parse(string body)
    {
        var root = ProviderJson.Parse(body, "The body is not an SNS message");

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ProviderPayloadException.Malformed("The body is not an SNS message: expected a JSON object.");
        }

        var type = Required(root, "Type");
        if (type is not (NotificationType or SubscriptionConfirmationType or UnsubscribeConfirmationType))
        {
            throw ProviderPayloadException.Unsupported($"SNS message type '{type}' is not one Send handles.");
        }

        var confirmation = type != NotificationType;
        return new SnsMessage(
            type,
            Required(root, "MessageId"),
            Required(root, "TopicArn"),
            Required(root, "Message"),
            Required(root, "Timestamp"),
            Required(root, "SignatureVersion"),
            Required(root, "Signature"),
            Required(root, "SigningCertURL"),
            Optional(root, "Subject"),
            confirmation ? Required(root, "Token") : null,
            confirmation ? Required(root, "SubscribeURL") : null);
    }

    private static string Required(JsonElement root, string name) =>
        Optional(root, name) ?? throw ProviderPayloadException.Malformed($"The SNS message has no '{name}'.");

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
