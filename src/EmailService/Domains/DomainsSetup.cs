using Send.BuildingBlocks.Secrets;

namespace Send.EmailService.Domains;

public static class DomainsSetup
{
    public static IHostApplicationBuilder AddDomains(this IHostApplicationBuilder builder)
    {
        builder.AddSecretBox();
        builder.Services.Configure<DomainOptions>(builder.Configuration.GetSection(DomainOptions.Section));
        builder.Services.AddSingleton<DnsChecker>();
        builder.Services.AddScoped<DomainVerifier>();
        builder.Services.AddHostedService<DomainChecker>();
        return builder;
    }
}
