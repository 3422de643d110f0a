using System.Globalization;
using System.Text.Json;
using Send.Contracts.Events;

namespace Send.EventService.Ingestion.Resend;

/// <summary>
/// Turns a Resend webhook (<c>{type, created_at, data}</c>) into provider events, one per
/// address in <c>data.to</c>. <c>data.email_id</c> is the provider message id; Send's email id
/// comes from the <c>send_email_id</c> tag that ResendProvider sets (tags arrive as
/// <c>[{name, value}]</c>, or as an object in older payloads). <c>email.sent</c> and events about
/// anything but emails publish nothing: EmailService already recorded the send, and the rest
/// (domains, contacts) are not delivery outcomes.
/// </summary>
public static class ResendEventParser
{
    public const string Provider = "resend";

    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        ["email.delivered"] = ProviderEventKinds.Delivered,
        ["email.delivery_delayed"] = ProviderEventKinds.DeliveryDelayed,
        ["email.bounced"] = ProviderEventKinds.Bounced,
        ["email.complained"] = ProviderEventKinds.Complained,
        ["email.opened"] = ProviderEventKinds.Opened,
        ["email.clicked"] = ProviderEventKinds.Clicked,
        ["email.failed"] = ProviderEventKinds.Failed,
        // Resend did not send because the address is on its suppression list.
        ["email.suppressed"] = ProviderEventKinds.Rejected,
    };

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "email.sent", "email.scheduled", "email.received" };

    private static readonly string[] IgnoredFamilies = ["domain.", "contact.", "broadcast."];

    public static IReadOnlyList<ProviderEventReceived> Parse(string body, string webhookId)
    {
        var root = ProviderJson.Parse(body, "The body is not a Resend webhook");

        var type = root.ValueKind == JsonValueKind.Object ? Text(root, "type") : null;
        if (type is null || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw ProviderPayloadException.Malformed("The body is not a Resend webhook: it needs 'type' and a 'data' object.");
        }

        if (Ignored.Contains(type) || IgnoredFamilies.Any(f => type.StartsWith(f, StringComparison.Ordinal)))
        {
            return [];
        }

        if (!Kinds.TryGetValue(type, out var kind))
        {
            throw ProviderPayloadException.Unsupported($"Resend event type '{type}' is not one Send handles.");
        }

        var messageId = Text(data, "email_id") ?? throw ProviderPayloadException.Malformed($"The Resend {type} event has no data.email_id.");
        var recipients = Recipients(data);
        if (recipients.Count == 0)
        {
            throw ProviderPayloadException.Malformed($"The Resend {type} event names no recipient in data.to.");
        }

        var details = DetailsFor(type, data);
        var at = Time(Nested(data, "click"), "timestamp") ?? Time(Nested(data, "open"), "timestamp") ?? Time(root, "created_at") ?? Time(data, "created_at") ?? DateTimeOffset.UnixEpoch;
        var emailId = EmailId(data);
        return [.. recipients.Select(recipient => new ProviderEventReceived(
            Provider, messageId, kind, recipient, at, new Dictionary<string, string>(details), emailId,
            recipients.Count > 1 ? $"{webhookId}:{recipient}" : webhookId))];
    }

    private static Dictionary<string, string> DetailsFor(string type, JsonElement data)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                details[key] = value;
            }
        }

        switch (type)
        {
            case "email.bounced":
                var bounce = Nested(data, "bounce");
                Add("bounce_type", BounceType(Text(bounce, "type")));
                Add("bounce_subtype", Text(bounce, "subType"));
                Add("reason", Text(bounce, "message"));
                Add("diagnostic_code", FirstText(bounce, "diagnosticCode"));
                break;
            case "email.clicked":
                var click = Nested(data, "click");
                Add("link", Text(click, "link"));
                Add("ip_address", Text(click, "ipAddress"));
                Add("user_agent", Text(click, "userAgent"));
                break;
            case "email.opened":
                var open = Nested(data, "open");
                Add("ip_address", Text(open, "ipAddress"));
                Add("user_agent", Text(open, "userAgent"));
                break;
            case "email.failed":
                Add("reason", Text(Nested(data, "failed"), "reason"));
                break;
            case "email.suppressed":
                Add("reason", Text(Nested(data, "suppressed"), "message") ?? "suppressed by Resend");
                break;
        }

        return details;
    }

    /// <summary>Resend reports SES's bounce types; the contract spells them Permanent, Transient, Undetermined.</summary>
    private static string? BounceType(string? type) => type?.ToLowerInvariant() switch
    {
        null => null,
        "permanent" or "hard" => "Permanent",
        "transient" or "soft" => "Transient",
        _ => "Undetermined",
    };

    private static string? EmailId(JsonElement data)
    {
        if (!data.TryGetProperty("tags", out var tags))
        {
            return null;
        }

        return tags.ValueKind switch
        {
            JsonValueKind.Array => tags.EnumerateArray()
                .Where(t => Text(t, "name") == "send_email_id")
                .Select(t => Text(t, "value"))
                .FirstOrDefault(v => !string.IsNullOrEmpty(v)),
            JsonValueKind.Object => Text(tags, "send_email_id"),
            _ => null,
        };
    }

    private static List<string> Recipients(JsonElement data) =>
        data.TryGetProperty("to", out var to) ? to.ValueKind switch
        {
            JsonValueKind.Array => [.. to.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).Where(t => t.Length > 0)],
            JsonValueKind.String when to.GetString() is { Length: > 0 } single => [single],
            _ => [],
        } : [];

    private static JsonElement Nested(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? FirstText(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()).FirstOrDefault(),
                _ => null,
            }
            : null;

    private static DateTimeOffset? Time(JsonElement parent, string name) =>
        DateTimeOffset.TryParse(Text(parent, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
