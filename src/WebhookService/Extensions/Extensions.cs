using Send.BuildingBlocks.Outbound;
using Send.BuildingBlocks.Secrets;
using Send.WebhookService.Services;

namespace Send.WebhookService.Extensions;

internal static class Extensions
{
    /// <summary>Endpoints' secrets sealed at rest, fan-out of events into deliveries, and the worker that sends them.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSecretBox();
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        builder.Services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section);
        builder.Services.AddSingleton<SecretOpener>();
        builder.Services.AddScoped<FanOut>();
        builder.Services.AddScoped<DeliveryClaims>();
        builder.Services.AddScoped<AttemptRecorder>();
        builder.Services.AddScoped<SuccessRecorder>();
        builder.Services.AddSingleton<DeliveryWakeUp>();
        builder.Services.AddSingleton<DeliverySender>();
        builder.Services.AddHostedService<DeliveryWorker>();
    }
}
