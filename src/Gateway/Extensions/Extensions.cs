using Microsoft.Extensions.Diagnostics.HealthChecks;
using Send.BuildingBlocks.Redis;
using Send.Gateway.ApiDocs;
using Send.Gateway.Authentication;
using Send.Gateway.Proxy;
using Send.Gateway.RateLimiting;
using Send.ServiceDefaults.Identity;
using Yarp.ReverseProxy.Transforms;

namespace Send.Gateway.Extensions;

internal static class Extensions
{
    public const string ReverseProxySection = "ReverseProxy";

    public static void AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.AddInternalIdentity();
        // Without Redis the Gateway still works (slower, limits per replica): degraded, still ready.
        builder.AddSendRedis(HealthStatus.Degraded);

        // Routes and clusters live in configuration; destinations are service names
        // (http://keyservice) resolved by service discovery, as Aspire and Kubernetes name them.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection(ReverseProxySection))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(context => context.AddRequestTransform(IdentityForwarding.ApplyAsync));

        builder.Services.AddHttpClient<KeyServiceClient>(client => client.BaseAddress = new Uri("http://keyservice"))
            .AddHttpMessageHandler<InternalIdentityHandler>();
        builder.Services.AddSingleton<ApiKeyDirectory>();
        builder.Services.AddHostedService<KeyInvalidationListener>();
        builder.Services.AddSingleton<LocalRateLimiter>();
        builder.Services.AddSingleton<RedisQuotaStore>();
        builder.Services.AddSingleton<QuotaReservations>();
        builder.Services.AddSingleton<UsageRecorder>();
        builder.Services.AddOptions<CallbackRateLimitOptions>().BindConfiguration(CallbackRateLimitOptions.Section);
        builder.Services.AddSingleton<CallbackRateLimiter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsageRecorder>());

        builder.Services.AddHttpClient(ApiDocumentAggregator.HttpClientName);
        builder.Services.AddSingleton<ApiDocumentAggregator>();
    }
}
