using Microsoft.Extensions.Options;

namespace Send.WebhookService.Services;

/// <summary>
/// Sends due deliveries, up to <see cref="WebhookOptions.Concurrency"/> at once per replica and
/// <see cref="WebhookOptions.ConcurrencyPerEndpoint"/> per endpoint across replicas (the claim
/// enforces it). Each attempt is settled on its own: a slow endpoint holds only its own slots.
/// </summary>
public sealed class DeliveryWorker(IServiceScopeFactory scopes, DeliverySender sender, IOptions<WebhookOptions> options, ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.Concurrency);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                await slots.WaitAsync(stoppingToken);
                slots.Release();
                await using var scope = scopes.CreateAsyncScope();
                var batch = await scope.ServiceProvider.GetRequiredService<DeliveryClaims>().ClaimAsync(Math.Max(1, slots.CurrentCount), stoppingToken);
                claimed = batch.Count;
                foreach (var delivery in batch)
                {
                    await slots.WaitAsync(stoppingToken);
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await DeliverAsync(delivery, stoppingToken);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }, CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Claiming webhook deliveries failed; trying again shortly.");
            }

            if (claimed == 0)
            {
                await Task.Delay(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            var result = await sender.SendAsync(delivery, stoppingToken);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AttemptRecorder>().RecordAsync(delivery, result, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim lapses and another worker (or this one, restarted) sends it.
        }
        catch (Exception ex)
        {
            // Left claimed: it is attempted again when the claim lapses.
            logger.LogError(ex, "Webhook delivery {DeliveryId} could not be settled.", delivery.Id);
        }
    }
}
