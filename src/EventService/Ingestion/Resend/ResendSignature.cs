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

        try
        {
            _webhook.Verify(body, headers);
        }
        catch (WebhookVerificationException ex)
        {
            throw ProviderPayloadException.BadSignature($"The Svix signature does not verify: {ex.Message}.");
        }
        catch (FormatException)
        {
            throw ProviderPayloadException.BadSignature("The Svix signature headers are malformed.");
        }
    }

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
