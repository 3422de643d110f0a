using System.Globalization;
using System.Text.Json;
using Send.Contracts.Events;

namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// Turns the SES record an SNS Notification carries into provider events, one per recipient the
/// record is about. Both SES formats are read: event publishing (<c>eventType</c>, through a
/// configuration set, with Send's tags) and identity notifications (<c>notificationType</c>:
/// Bounce, Complaint, Delivery, without tags).
/// <list type="bullet">
/// <item><c>Send</c> publishes nothing: EmailService already recorded the email as sent when SES accepted it.</item>
/// <item>Open and Click name no recipient; SES cannot tell which of several destinations opened,
/// so the event names the first one.</item>
/// <item>Reject and Rendering Failure concern the whole message: one event per destination.</item>
/// </list>
/// The email is found by the <c>send_email_id</c> tag, else by Send's VERP return path in
/// <c>mail.source</c>; <c>mail.messageId</c> is the provider message id either way.
/// </summary>
public static class SesNotificationParser
{
    public const string Provider = "ses";

    /// <summary>Event types that are understood and deliberately publish nothing.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "Send", "Subscription", "AmazonSnsSubscriptionSucceeded" };

    public static IReadOnlyList<ProviderEventReceived> Parse(string record, string notificationId, DateTimeOffset notifiedAt)
    {
        var root = ProviderJson.Parse(record, "The SNS Message is not an SES record");

        var type = root.ValueKind == JsonValueKind.Object ? Text(root, "eventType") ?? Text(root, "notificationType") : null;
        if (type is null)
        {
            throw ProviderPayloadException.Malformed("The SNS Message is not an SES record: it has neither eventType nor notificationType.");
        }

        if (Ignored.Contains(type))
        {
            return [];
        }

        if (!root.TryGetProperty("mail", out var mail) || Text(mail, "messageId") is not { } messageId)
        {
            throw ProviderPayloadException.Malformed($"The SES {type} record has no mail.messageId.");
        }

        var context = new Context(messageId, EmailId(mail), notificationId, Destinations(mail), Time(mail, "timestamp") ?? notifiedAt);
        var events = type switch
        {
            "Bounce" => Bounces(context, Object(root, "bounce", type)),
            "Complaint" => Complaints(context, Object(root, "complaint", type)),
            "Delivery" => Deliveries(context, Object(root, "delivery", type)),
            "DeliveryDelay" => Delays(context, Object(root, "deliveryDelay", type)),
            "Reject" => PerDestination(context, ProviderEventKinds.Rejected, context.SentAt,
                Details(("reason", Text(Object(root, "reject", type), "reason")))),
            "Rendering Failure" or "RenderingFailure" => PerDestination(context, ProviderEventKinds.Failed, context.SentAt,
                Details(("reason", Text(Object(root, "failure", type), "errorMessage")))),
            "Open" => Engagement(context, ProviderEventKinds.Opened, Object(root, "open", type)),
            "Click" => Engagement(context, ProviderEventKinds.Clicked, Object(root, "click", type)),
            _ => throw ProviderPayloadException.Unsupported($"SES event type '{type}' is not one Send handles."),
        };
        return context.Finish(events);
    }

    private static IEnumerable<(string Kind, string Recipient, DateTimeOffset At, Dictionary<string, string> Details)> Bounces(Context context, JsonElement bounce)
    {
        var at = Time(bounce, "timestamp") ?? context.SentAt;
        foreach (var recipient in Array(bounce, "bouncedRecipients"))
        {
            yield return (ProviderEventKinds.Bounced, Address(recipient), at, Details(
                ("bounce_type", Text(bounce, "bounceType")),
                ("bounce_subtype", Text(bounce, "bounceSubType")),
                ("status", Text(recipient, "status")),
                ("diagnostic_code", Text(recipient, "diagnosticCode"))));
        }
    }

    private static IEnumerable<(string, string, DateTimeOffset, Dictionary<string, string>)> Complaints(Context context, JsonElement complaint)
    {
        var at = Time(complaint, "timestamp") ?? context.SentAt;
        foreach (var recipient in Array(complaint, "complainedRecipients"))
        {
            yield return (ProviderEventKinds.Complained, Address(recipient), at, Details(
                ("complaint_feedback_type", Text(complaint, "complaintFeedbackType")),
                ("user_agent", Text(complaint, "userAgent"))));
        }
    }

    private static IEnumerable<(string, string, DateTimeOffset, Dictionary<string, string>)> Deliveries(Context context, JsonElement delivery)
    {
        var at = Time(delivery, "timestamp") ?? context.SentAt;
        foreach (var recipient in Array(delivery, "recipients"))
        {
            yield return (ProviderEventKinds.Delivered, recipient.GetString() ?? "", at, Details(("diagnostic_code", Text(delivery, "smtpResponse"))));
        }
    }

    private static IEnumerable<(string, string, DateTimeOffset, Dictionary<string, string>)> Delays(Context context, JsonElement delay)
    {
        var at = Time(delay, "timestamp") ?? context.SentAt;
        foreach (var recipient in Array(delay, "delayedRecipients"))
        {
            yield return (ProviderEventKinds.DeliveryDelayed, Address(recipient), at, Details(
                ("delay_type", Text(delay, "delayType")),
                ("status", Text(recipient, "status")),
                ("diagnostic_code", Text(recipient, "diagnosticCode"))));
        }
    }

    private static IEnumerable<(string, string, DateTimeOffset, Dictionary<string, string>)> PerDestination(
        Context context, string kind, DateTimeOffset at, Dictionary<string, string> details) =>
        context.Destinations.Select(d => (kind, d, at, new Dictionary<string, string>(details)));

    private static IEnumerable<(string, string, DateTimeOffset, Dictionary<string, string>)> Engagement(Context context, string kind, JsonElement engagement)
    {
        var recipient = context.Destinations.FirstOrDefault()
            ?? throw ProviderPayloadException.Malformed("The SES record has no mail.destination to attribute the event to.");
        yield return (kind, recipient, Time(engagement, "timestamp") ?? context.SentAt, Details(
            ("link", Text(engagement, "link")),
            ("ip_address", Text(engagement, "ipAddress")),
            ("user_agent", Text(engagement, "userAgent"))));
    }

    /// <summary>SES event publishing writes each tag as an array of strings.</summary>
    private static string? EmailId(JsonElement mail)
    {
        if (mail.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
            && tags.TryGetProperty("send_email_id", out var values))
        {
            var value = values.ValueKind switch
            {
                JsonValueKind.Array => values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
                JsonValueKind.String => values.GetString(),
                _ => null,
            };
            if (!string.IsNullOrEmpty(value))
            {
                return value;
            }
        }

        return VerpAddress.EmailId(Text(mail, "source"));
    }

    private static List<string> Destinations(JsonElement mail) =>
        [.. Array(mail, "destination").Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!)];

    private static JsonElement Object(JsonElement root, string name, string type) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw ProviderPayloadException.Malformed($"The SES {type} record has no '{name}' object.");

    private static JsonElement[] Array(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];

    private static string Address(JsonElement recipient) =>
        Text(recipient, "emailAddress") ?? throw ProviderPayloadException.Malformed("An SES recipient has no emailAddress.");

    private static string? Text(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static DateTimeOffset? Time(JsonElement parent, string name) =>
        DateTimeOffset.TryParse(Text(parent, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static Dictionary<string, string> Details(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);

    private sealed record Context(string MessageId, string? EmailId, string NotificationId, List<string> Destinations, DateTimeOffset SentAt)
    {
        /// <summary>The SNS message id names the notification; with several recipients each event adds its recipient.</summary>
        public IReadOnlyList<ProviderEventReceived> Finish(IEnumerable<(string Kind, string Recipient, DateTimeOffset At, Dictionary<string, string> Details)> events)
        {
            var list = events.ToList();
            if (list.Count == 0)
            {
                throw ProviderPayloadException.Malformed("The SES record names no recipient.");
            }

            return [.. list.Select(e => new ProviderEventReceived(
                Provider, MessageId, e.Kind, e.Recipient, e.At, e.Details, EmailId,
                list.Count > 1 ? $"{NotificationId}:{e.Recipient}" : NotificationId))];
        }
    }
}
