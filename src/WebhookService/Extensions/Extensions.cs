using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Redis;
using Send.WebhookService.Data;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

namespace Send.WebhookService.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "webhooksdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddInternalIdentity();
        builder.AddServiceDatabase<IHostApplicationBuilder, WebhooksDbContext>(DatabaseName);
        builder.AddSendRedis();
        builder.Services.AddSendOpenApi();
    }
}
