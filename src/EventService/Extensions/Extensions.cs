using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Redis;
using Send.EventService.Data;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

namespace Send.EventService.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "eventsdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddInternalIdentity();
        builder.AddServiceDatabase<IHostApplicationBuilder, EventsDbContext>(DatabaseName);
        builder.AddSendRedis();
        builder.Services.AddSendOpenApi();
    }
}
