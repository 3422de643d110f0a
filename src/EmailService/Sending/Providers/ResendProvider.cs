using MimeKit;
using Send.ProviderClients;

namespace Send.EmailService.Sending.Providers;

/// <summary>
/// Resend's API, rebuilt from the MIME message (Resend takes fields, not raw MIME, and signs
/// with its own DKIM). Send's email id is the idempotency key, so a retry after a lost answer
/// is not a second email. Rate limits, quota, key and server errors are transient (they fail
/// over); any other 4xx means Resend refuses this message and is permanent.
/// </summary>
public sealed class ResendProvider(ResendClient client) : IEmailProvider
{
    private static readonly HashSet<string> TransientErrors = new(StringComparer.Ordinal)
    {
        "rate_limit_exceeded", "daily_quota_exceeded", "monthly_quota_exceeded", "missing_api_key", "invalid_api_key", "restricted_api_key",
        "internal_server_error", "application_error", "concurrent_idempotent_requests",
    };

    public string Name => "resend";

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        ResendResult result;
        try
        {
            result = await client.SendAsync(ToResend(email), email.EmailId, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ProviderResult.Transient($"Resend unreachable: {ex.Message}");
        }

        if (result.Succeeded)
        {
            return ProviderResult.Accepted(result.Id!);
        }

        var error = $"Resend {(int)result.Status} {result.ErrorName}: {result.ErrorMessage}";
        var transient = (int)result.Status is 429 or >= 500 || (result.ErrorName is { } name && TransientErrors.Contains(name));
        return transient ? ProviderResult.Transient(error) : ProviderResult.Permanent(error);
    }

    public static ResendEmail ToResend(OutgoingEmail email)
    {
        var message = email.Message;
        var visible = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var attachments = message.BodyParts.OfType<MimePart>()
            .Where(p => p.IsAttachment || p.ContentId is not null)
            .Select(p =>
            {
                using var content = new MemoryStream();
                p.Content?.DecodeTo(content);
                return new ResendAttachment(p.FileName ?? "attachment", Convert.ToBase64String(content.ToArray()), p.ContentType.MimeType, p.ContentId);
            })
            .ToList();
        var custom = message.Headers
            .Where(h => h.Field.StartsWith("X-", StringComparison.OrdinalIgnoreCase) || h.Field.StartsWith("List-", StringComparison.OrdinalIgnoreCase))
            .GroupBy(h => h.Field, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
        return new ResendEmail(
            message.From.ToString(),
            [.. message.To.Mailboxes.Select(m => m.ToString())],
            message.Subject ?? "",
            Cc: Nullable([.. message.Cc.Mailboxes.Select(m => m.ToString())]),
            Bcc: Nullable([.. email.Recipients.Where(r => !visible.Contains(r.Address)).Select(r => r.Address)]),
            ReplyTo: Nullable([.. message.ReplyTo.Mailboxes.Select(m => m.ToString())]),
            Html: message.HtmlBody,
            Text: message.TextBody,
            Headers: custom.Count > 0 ? custom : null,
            Attachments: attachments.Count > 0 ? attachments : null,
            Tags: [new ResendTag("send_email_id", email.EmailId)]);
    }

    private static List<string>? Nullable(List<string> values) => values.Count > 0 ? values : null;
}
