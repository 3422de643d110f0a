using Microsoft.Extensions.Options;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Send.EventService.Ingestion.Resend;

/// <summary>
/// Resend signs its webhooks with Svix: <c>svix-signature: v1,&lt;base64 HMAC-SHA256 of
/// "{svix-id}.{svix-timestamp}.{body}"&gt;</c> (several space-separated during a secret rotation),
/// keyed with the base64-decoded secret, and a timestamp within five minutes. The check is the
/// StandardWebhooks library's (Svix's scheme under its original header names), not ours.
/// </summary>
public sealed class ResendSignature(IOptions<ResendOptions> options)
{
    private readonly StandardWebhook? _webhook = Create(options.Value.WebhookSecret);

    public bool IsConfigured => _webhook is not null;

    public void Verify(string body, IHeaderDictionary headers)
    {
        if (_webhook is null)
        {
            throw new InvalidOperationException("Resend webhooks are not configured.");
        }

        // StandardWebhooks 1.1.2 never tries the last of several space-separated signatures (its
        // loop ends when no space follows), which is exactly Resend's header during a secret
        // rotation; so each signature is offered to it on its own.
        var signatures = headers[SignatureHeader].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reason = $"the {SignatureHeader} header is missing";
        foreach (var signature in signatures)
        {
            var single = new HeaderDictionary
            {
                [IdHeader] = headers[IdHeader],
                [TimestampHeader] = headers[TimestampHeader],
                [SignatureHeader] = signature,
            };
            try
            {
                _webhook.Verify(body, single);
                return;
            }
            catch (WebhookVerificationException ex)
            {
                reason = ex.Message;
            }
            catch (FormatException)
            {
                reason = "the headers are malformed";
            }
        }

        throw ProviderPayloadException.BadSignature($"The Svix signature does not verify: {reason}.");
    }

    private static string IdHeader => WebhookConfigurationOptions.Svix.IdHeaderKey;

    private static string TimestampHeader => WebhookConfigurationOptions.Svix.TimestampHeaderKey;

    private static string SignatureHeader => WebhookConfigurationOptions.Svix.SignatureHeaderKey;

    private static StandardWebhook? Create(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        try
        {
            return new StandardWebhook(secret.Trim(), WebhookConfigurationOptions.Svix);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{ResendOptions.Section}:WebhookSecret must be Resend's whsec_… secret (base64 after the prefix).", ex);
        }
    }
}
