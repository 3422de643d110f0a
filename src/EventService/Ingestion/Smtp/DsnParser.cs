using System.Globalization;
using System.Security.Cryptography;
using MimeKit;
using MimeKit.Utils;
using Send.Contracts.Events;

namespace Send.EventService.Ingestion.Smtp;

/// <summary>
/// Reads an RFC 3464 delivery status notification (a <c>multipart/report</c> with a
/// <c>message/delivery-status</c> part) as MimeKit parses it: one provider event per recipient
/// group whose Action Send understands — failed → bounced (Permanent for a 5.x.x status,
/// Transient for 4.x.x, else Undetermined), delayed → delivery_delayed, delivered / relayed /
/// expanded → delivered. The email is found by Send's VERP return path, which the DSN is
/// addressed to (To, Delivered-To, X-Original-To) or which the returned headers repeat
/// (Return-Path); the returned Message-ID is the provider message id.
/// </summary>
public static class DsnParser
{
    public const string Provider = "smtp";

    private static readonly string[] AddressedTo = ["Delivered-To", "X-Original-To", "To", "Envelope-To"];

    public static IReadOnlyList<ProviderEventReceived> Parse(byte[] raw, DateTimeOffset now)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException ex)
        {
            throw ProviderPayloadException.Malformed($"The body is not a MIME message: {ex.Message}", ex);
        }

        var status = message.BodyParts.OfType<MessageDeliveryStatus>().FirstOrDefault()
            ?? throw ProviderPayloadException.Unsupported("The message is not a delivery status notification: it has no message/delivery-status part.");
        if (status.StatusGroups.Count < 2)
        {
            throw ProviderPayloadException.Malformed("The delivery status names no recipient.");
        }

        var original = message.BodyParts.OfType<MessagePart>().Select(p => p.Message).FirstOrDefault(m => m is not null);
        var emailId = AddressedTo.SelectMany(h => message.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)))
            .Select(h => VerpAddress.EmailId(h.Value))
            .Append(VerpAddress.EmailId(original?.Headers[HeaderId.ReturnPath]))
            .FirstOrDefault(id => id is not null);
        var originalMessageId = original?.MessageId;
        if (emailId is null && string.IsNullOrEmpty(originalMessageId))
        {
            throw ProviderPayloadException.Unsupported("The bounce names no Send email: neither a bounces+<email id>@ address nor the original Message-ID.");
        }

        var perMessage = status.StatusGroups[0];
        var reportedAt = Date(perMessage["Arrival-Date"]) ?? (message.Date != DateTimeOffset.MinValue ? message.Date : now);
        var reportId = string.IsNullOrEmpty(message.MessageId) ? Convert.ToHexStringLower(SHA256.HashData(raw)) : message.MessageId;

        var events = status.StatusGroups.Skip(1)
            .Select(group => Event(group, reportedAt))
            .Where(e => e.HasValue)
            .Select(e => e!.Value)
            .ToList();
        if (events.Count == 0)
        {
            throw ProviderPayloadException.Unsupported("The delivery status has no recipient with an Action Send understands.");
        }

        return [.. events.Select(e => new ProviderEventReceived(
            Provider, originalMessageId ?? "", e.Kind, e.Recipient, e.At, e.Details, emailId,
            events.Count > 1 ? $"{reportId}:{e.Recipient}" : reportId))];
    }

    private static (string Kind, string Recipient, DateTimeOffset At, Dictionary<string, string> Details)? Event(HeaderList group, DateTimeOffset reportedAt)
    {
        var recipient = Address(group["Original-Recipient"]) ?? Address(group["Final-Recipient"]);
        var action = group["Action"]?.Trim().ToLowerInvariant();
        if (recipient is null || action is null)
        {
            return null;
        }

        var code = group["Status"]?.Trim().Split(' ', 2)[0];
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(code))
        {
            details["status"] = code;
        }

        if (group["Diagnostic-Code"] is { Length: > 0 } diagnostic)
        {
            details["diagnostic_code"] = Unfold(diagnostic);
        }

        var at = Date(group["Last-Attempt-Date"]) ?? reportedAt;
        switch (action)
        {
            case "failed":
                details["bounce_type"] = code?.StartsWith('5') == true ? "Permanent" : code?.StartsWith('4') == true ? "Transient" : "Undetermined";
                details["bounce_subtype"] = Subtype(code);
                return (ProviderEventKinds.Bounced, recipient, at, details);
            case "delayed":
                return (ProviderEventKinds.DeliveryDelayed, recipient, at, details);
            case "delivered" or "relayed" or "expanded":
                return (ProviderEventKinds.Delivered, recipient, at, details);
            default:
                return null;
        }
    }

    /// <summary>SES's bounce subtypes, read off the enhanced status code (RFC 3463) so every provider's bounces sort alike.</summary>
    private static string Subtype(string? code) => code?.Length > 2 ? code[2..] switch
    {
        "1.1" or "1.10" => "NoEmail",
        "2.2" => "MailboxFull",
        "3.4" or "2.3" => "MessageTooLarge",
        "7.1" => "ContentRejected",
        _ => "General",
    } : "General";

    /// <summary>"rfc822; user@example.com" → user@example.com.</summary>
    private static string? Address(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        var separator = field.IndexOf(';', StringComparison.Ordinal);
        var address = (separator >= 0 ? field[(separator + 1)..] : field).Trim().Trim('<', '>');
        return address.Contains('@', StringComparison.Ordinal) ? address : null;
    }

    /// <summary>A folded Diagnostic-Code keeps its continuation indent once unfolded; one space is what was meant.</summary>
    private static string Unfold(string value) => string.Join(' ', value.Split([' ', '\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static DateTimeOffset? Date(string? value) =>
        value is null ? null
        : DateUtils.TryParse(value, out var date) ? date
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed
        : null;
}
