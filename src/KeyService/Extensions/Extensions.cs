using Send.KeyService.Services;

namespace Send.KeyService.Extensions;

internal static class Extensions
{
    public const string DatabaseName = "keysdb";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<BootstrapKeyProvisioner>();
        builder.Services.AddSingleton<KeyCacheInvalidator>();
        builder.Services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.SectionName);
        builder.Services.AddHostedService<UsageSync>();
    }
}
