using Microsoft.Extensions.Options;
using Send.ProviderClients;

namespace Send.EmailService.Sending.Providers;

public static class ProvidersSetup
{
    /// <summary>
    /// SMTP and the sandbox always; SES when <c>Providers:Ses</c> is configured; Resend when
    /// <c>Providers:Resend:ApiKey</c> is set (from a secret). The chain refuses to start if it
    /// names a provider that is not configured.
    /// </summary>
    public static IServiceCollection AddProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>()
            .BindConfiguration(SmtpOptions.SectionName)
            .PostConfigure(options => options.ApplyConnectionString(configuration.GetConnectionString(SmtpOptions.ConnectionName)))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ProvidersOptions>().BindConfiguration(ProvidersOptions.Section);
        services.AddSingleton<SmtpProvider>();
        services.AddSingleton<IEmailProvider>(sp => sp.GetRequiredService<SmtpProvider>());
        services.AddSingleton<SandboxProvider>();

        if (configuration.GetSection(SesProviderOptions.Section).Exists())
        {
            services.AddOptions<SesProviderOptions>().BindConfiguration(SesProviderOptions.Section);
            services.AddSingleton(sp =>
            {
                var ses = sp.GetRequiredService<IOptions<SesProviderOptions>>().Value;
                return new SesV2Client(ProviderHttpClient(),
                    new SesOptions { Region = ses.Region, Endpoint = ses.Endpoint, ConfigurationSetName = ses.ConfigurationSetName },
                    SesV2Client.DefaultCredentials(), sp.GetRequiredService<TimeProvider>());
            });
            services.AddSingleton<IEmailProvider, SesProvider>();
        }

        if (!string.IsNullOrEmpty(configuration["Providers:Resend:ApiKey"]))
        {
            services.AddOptions<ResendOptions>().BindConfiguration("Providers:Resend");
            services.AddSingleton(sp => new ResendClient(ProviderHttpClient(), sp.GetRequiredService<IOptions<ResendOptions>>().Value));
            services.AddSingleton<IEmailProvider, ResendProvider>();
        }

        services.AddSingleton<ProviderChain>();
        return services;
    }

    /// <summary>
    /// A plain client, not one from the factory: the factory's default resilience handler would
    /// retry a send (SES has no idempotency key) and delay failover, and the provider chain
    /// already owns timeouts and circuits. Connections are recycled so DNS changes are seen.
    /// </summary>
    private static HttpClient ProviderHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
