using Send.KeyService.Services;

namespace Send.KeyService.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "keysdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder) =>
        builder.Services.AddScoped<BootstrapKeyProvisioner>();
}
