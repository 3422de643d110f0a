using Microsoft.Extensions.Options;

namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// Answers SNS's subscription handshake. A verified SubscriptionConfirmation is confirmed by
/// visiting its SubscribeURL, which must itself be https on an allowlisted SNS host (the URL is
/// signed, but a second check costs nothing and keeps the fetch inside SNS).
/// </summary>
public sealed class SnsSubscriptions(SnsHttp http, IOptions<SnsOptions> options, ILogger<SnsSubscriptions> logger)
{
    public async Task<string> ConfirmAsync(SnsMessage message, CancellationToken cancellationToken)
    {
        if (!options.Value.ConfirmSubscriptions)
        {
            logger.LogWarning("Not confirming the SNS subscription to {TopicArn}: Providers:Sns:ConfirmSubscriptions is off", message.TopicArn);
            return "Subscription not confirmed: confirmations are turned off.";
        }

        if (!HostAllowlist.Permits(message.SubscribeUrl, options.Value.AllowedHosts))
        {
            throw ProviderPayloadException.BadSignature("The SubscribeURL is not an https URL on an allowed SNS host.");
        }

        try
        {
            using var response = await http.Client.GetAsync(new Uri(message.SubscribeUrl!), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ProviderPayloadException.Unavailable($"SNS answered {(int)response.StatusCode} to the subscription confirmation.");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw ProviderPayloadException.Unavailable($"The SubscribeURL could not be reached ({ex.Message}).", ex);
        }

        logger.LogInformation("Confirmed the SNS subscription to {TopicArn}", message.TopicArn);
        return "Subscription confirmed.";
    }
}
