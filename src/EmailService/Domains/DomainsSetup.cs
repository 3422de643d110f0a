using Microsoft.Extensions.Options;
using Send.EmailService.Sending.Providers;
using Send.ProviderClients;
using Send.BuildingBlocks.Secrets;

namespace Send.EmailService.Domains;

public static class DomainsSetup
{
    public static IHostApplicationBuilder AddDomains(this IHostApplicationBuilder builder)
    {
        builder.AddSecretBox();
        builder.Services.Configure<DomainOptions>(builder.Configuration.GetSection(DomainOptions.Section));
        builder.Services.AddSingleton<DnsChecker>();
        builder.Services.AddSingleton(sp => new SesEasyDkim(sp.GetService<SesV2Client>(), sp.GetRequiredService<IOptions<SesProviderOptions>>(), sp.GetRequiredService<ILogger<SesEasyDkim>>()));
        builder.Services.AddScoped<DomainVerifier>();
        builder.Services.AddHostedService<DomainChecker>();
        return builder;
    }
}
