using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Redis;
using Send.EmailService.Data;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

namespace Send.EmailService.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "emaildb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddInternalIdentity();
        builder.AddServiceDatabase<IHostApplicationBuilder, EmailDbContext>(DatabaseName);
        builder.AddSendRedis();
        builder.Services.AddSendOpenApi();
    }
}
