using System.Net;
using Send.BuildingBlocks.Outbound;
using Send.WebhookService.Model;

namespace Send.WebhookService.Apis;

/// <summary>Field-level checks of a webhook request. Hostnames are checked again where each delivery connects (DNS may change); a literal address is refused here already.</summary>
public static class WebhookValidation
{
    public static string? Url(string? value, OutboundOptions outbound, Dictionary<string, string[]> errors, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["An absolute https URL is required."];
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
        {
            errors[field] = ["Must be an absolute https URL, like https://example.com/webhooks."];
            return null;
        }

        if (uri.Scheme == "http" && !outbound.AllowPrivateNetworks)
        {
            errors[field] = ["Must use https: webhook payloads carry your recipients' addresses."];
            return null;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || value.Length > 2048)
        {
            errors[field] = ["At most 2,048 characters, without credentials in the URL."];
            return null;
        }

        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && OutboundAddressPolicy.Refusal(address, outbound) is { } refusal)
        {
            errors[field] = [refusal];
            return null;
        }

        return uri.ToString();
    }

    public static string? Status(string? status, Dictionary<string, string[]> errors)
    {
        if (status is not null && !WebhookStatus.All.Contains(status))
        {
            errors["status"] = ["enabled or disabled."];
            return null;
        }

        return status;
    }

    /// <summary>The filter to store: known types, de-duplicated; <c>*</c> (or nothing) means all, stored as empty.</summary>
    public static List<string>? Events(List<string?>? events, Dictionary<string, string[]> errors)
    {
        if (events is null)
        {
            errors["events"] = ["A list of event types is required, like [\"email.delivered\", \"email.bounced\"], or [\"*\"] for all."];
            return null;
        }

        var bad = events.Select((e, i) => (e, i)).Where(x => x.e != WebhookEventTypes.All && (x.e is null || !WebhookEventTypes.Known.Contains(x.e))).ToList();
        foreach (var (e, i) in bad)
        {
            errors[$"events[{i}]"] = [$"'{e}' is not an event type. Known: *, {string.Join(", ", WebhookEventTypes.Known.Order(StringComparer.Ordinal))}."];
        }

        return bad.Count > 0 ? null : events.Contains(WebhookEventTypes.All) ? [] : [.. events.Distinct().Cast<string>()];
    }
}
