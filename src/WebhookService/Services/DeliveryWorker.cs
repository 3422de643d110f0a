using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Send.WebhookService.Services;

/// <summary>
/// Sends due deliveries, up to <see cref="WebhookOptions.Concurrency"/> at once per replica and
/// <see cref="WebhookOptions.ConcurrencyPerEndpoint"/> per endpoint across replicas (the claim
/// enforces it). Each attempt holds a slot only while its request is out: a slow endpoint holds
/// only its own slots. Outcomes are settled by one loop, successes many per transaction; until
/// settled a delivery stays claimed (and counted in flight), and a crash before that only means
/// the claim lapses and the delivery is sent again, with the same webhook-id.
/// </summary>
public sealed class DeliveryWorker(IServiceScopeFactory scopes, DeliverySender sender, DeliveryWakeUp wakeUp, IOptions<WebhookOptions> options, ILogger<DeliveryWorker> logger)
    : BackgroundService
{
    /// <summary>Outcomes settled per transaction, at most.</summary>
    private const int SettleBatch = 256;

    private readonly Channel<(ClaimedDelivery Delivery, AttemptResult Result)> _outcomes = Channel.CreateUnbounded<(ClaimedDelivery, AttemptResult)>(new() { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settler = Task.Run(() => SettleAsync(stoppingToken), CancellationToken.None);
        try
        {
            await SendAsync(stoppingToken);
        }
        finally
        {
            _outcomes.Writer.TryComplete();
            await settler;
        }
    }

    private async Task SendAsync(CancellationToken stoppingToken)
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
                if (slots.CurrentCount < settings.Concurrency / 4)
                {
                    // Busy: let a few more attempts finish, so one claim takes several deliveries rather than one per finished attempt.
                    await Task.Delay(TimeSpan.FromMilliseconds(5), stoppingToken);
                }

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
                            var result = await sender.SendAsync(delivery, stoppingToken);
                            _outcomes.Writer.TryWrite((delivery, result));
                        }
                        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                        {
                            // Shutting down: the claim lapses and another worker (or this one, restarted) sends it.
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
                await wakeUp.WaitAsync(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SettleAsync(CancellationToken stoppingToken)
    {
        var reader = _outcomes.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<(ClaimedDelivery Delivery, AttemptResult Result)>();
                while (batch.Count < SettleBatch && reader.TryRead(out var outcome))
                {
                    batch.Add(outcome);
                }

                var successes = batch.Where(b => b.Result.Succeeded).ToList();
                await Task.WhenAll(batch.Where(b => !b.Result.Succeeded).Select(f => SettleFailureAsync(f.Delivery, f.Result, stoppingToken)).Append(SettleSuccessesAsync(successes, stoppingToken)));

                // Settling frees the endpoints' slots. A claimer that found every endpoint full is
                // waiting for a wake-up: without this one it slept a whole poll interval with work due.
                wakeUp.Wake();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Unsettled deliveries stay claimed: they are sent again when the claim lapses.
        }
    }

    private async Task SettleSuccessesAsync(List<(ClaimedDelivery Delivery, AttemptResult Result)> successes, CancellationToken stoppingToken)
    {
        if (successes.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SuccessRecorder>().RecordAsync(successes, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Left claimed: attempted again when the claims lapse (same webhook-id, so receivers can de-duplicate).
            logger.LogError(ex, "{Count} delivered webhooks could not be recorded.", successes.Count);
        }
    }

    private async Task SettleFailureAsync(ClaimedDelivery delivery, AttemptResult result, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AttemptRecorder>().RecordAsync(delivery, result, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Left claimed: it is attempted again when the claim lapses.
            logger.LogError(ex, "Webhook delivery {DeliveryId} could not be settled.", delivery.Id);
        }
    }
}
