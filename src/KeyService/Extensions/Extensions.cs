using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Redis;
using Send.KeyService.Data;
using Send.KeyService.Services;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

namespace Send.KeyService.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "keysdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddInternalIdentity();
        builder.AddServiceDatabase<IHostApplicationBuilder, KeysDbContext>(DatabaseName);
        builder.AddSendRedis();
        builder.Services.AddSendOpenApi();
        builder.Services.AddScoped<BootstrapKeyProvisioner>();
    }
}
