using System.Text.Json;
using Send.Contracts.Events;

namespace Send.WebhookService.Services;

/// <summary>
/// Events as Resend's webhooks carry them, <c>{type, created_at, data}</c>, so code written for
/// Resend reads Send's unchanged. All of the mapping is here. Details Resend has no field for
/// (<c>recipient</c>, <c>provider</c>…) are left out rather than invented.
/// </summary>
public static class WebhookPayloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Email(EmailLifecycleEvent e)
    {
        var details = e.Details ?? new Dictionary<string, string>();
        var data = new Dictionary<string, object?>
        {
            ["email_id"] = e.EmailId,
            ["from"] = e.From,
            ["to"] = e.To,
            ["subject"] = e.Subject,
            ["created_at"] = e.OccurredAt,
        };
        switch (e.Event)
        {
            case "email.bounced":
                // Resend passes SES's bounce object through: type Permanent/Transient, subType, message.
                data["bounce"] = new Dictionary<string, object?>
                {
                    ["message"] = details.GetValueOrDefault("diagnostic_code") ?? details.GetValueOrDefault("reason") ?? "",
                    ["subType"] = details.GetValueOrDefault("bounce_subtype") ?? "General",
                    ["type"] = Capitalized(details.GetValueOrDefault("bounce_type") ?? "Permanent"),
                };
                break;
            case "email.clicked":
                data["click"] = new Dictionary<string, object?> { ["link"] = details.GetValueOrDefault("link"), ["timestamp"] = e.OccurredAt };
                break;
            case "email.failed":
                data["failed"] = new Dictionary<string, object?> { ["reason"] = details.GetValueOrDefault("reason") ?? details.GetValueOrDefault("diagnostic_code") };
                break;
        }

        return Envelope(e.Event, e.OccurredAt, data);
    }

    public static string Domain(DomainLifecycleEvent e) => Envelope(e.Event, e.OccurredAt, new Dictionary<string, object?>
    {
        ["id"] = e.DomainId,
        ["name"] = e.Name,
        ["status"] = e.Status,
        ["created_at"] = e.OccurredAt,
        ["records"] = e.Records.Select(r => new Dictionary<string, object?> { ["record"] = r.Record, ["name"] = r.Name, ["type"] = r.Type, ["status"] = r.Status }),
    });

    public static string Test(string webhookId, DateTimeOffset at) => Envelope("webhook.test", at, new Dictionary<string, object?>
    {
        ["webhook_id"] = webhookId,
        ["message"] = "A test event from Send: this endpoint receives and verifies webhooks.",
    });

    private static string Envelope(string type, DateTimeOffset at, Dictionary<string, object?> data) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["type"] = type, ["created_at"] = at.ToUniversalTime(), ["data"] = data }, Json);

    private static string Capitalized(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];
}
