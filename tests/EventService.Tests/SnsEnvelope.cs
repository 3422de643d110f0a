using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Send.EventService.Tests;

/// <summary>
/// Builds the JSON SNS posts to an HTTPS subscription and signs it as SNS does (AWS's documented
/// string to sign, SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2). Written here from
/// AWS's description, independently of EventService's verifier, so the two check each other.
/// </summary>
public static class SnsEnvelope
{
    public const string TopicArn = "arn:aws:sns:us-east-1:123456789012:send-events";

    public static Dictionary<string, string> Notification(string message, string messageId, string? subject = null) => new Dictionary<string, string>
    {
        ["Type"] = "Notification",
        ["MessageId"] = messageId,
        ["TopicArn"] = TopicArn,
        ["Message"] = message,
        ["Timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["UnsubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
    }.With("Subject", subject);

    public static Dictionary<string, string> SubscriptionConfirmation(string messageId, string token, string subscribeUrl) => new()
    {
        ["Type"] = "SubscriptionConfirmation",
        ["MessageId"] = messageId,
        ["Token"] = token,
        ["TopicArn"] = TopicArn,
        ["Message"] = $"You have chosen to subscribe to the topic {TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
        ["SubscribeURL"] = subscribeUrl,
        ["Timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Adds SignatureVersion, SigningCertURL and Signature, and returns the JSON body.</summary>
    public static string Sign(Dictionary<string, string> message, X509Certificate2 signer, string certificateUrl, int version = 2)
    {
        var fields = message["Type"] == "Notification"
            ? new[] { "Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type" }
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
        var text = new StringBuilder();
        foreach (var field in fields.Where(message.ContainsKey))
        {
            text.Append(field).Append('\n').Append(message[field]).Append('\n');
        }

        using var key = signer.GetRSAPrivateKey()!;
        var signature = key.SignData(Encoding.UTF8.GetBytes(text.ToString()), version == 1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var signed = new Dictionary<string, string>(message)
        {
            ["SignatureVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Signature"] = Convert.ToBase64String(signature),
            ["SigningCertURL"] = certificateUrl,
        };
        return JsonSerializer.Serialize(signed);
    }

    private static Dictionary<string, string> With(this Dictionary<string, string> message, string key, string? value)
    {
        if (value is not null)
        {
            message[key] = value;
        }

        return message;
    }
}
