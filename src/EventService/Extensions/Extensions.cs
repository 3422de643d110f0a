using Send.EventService.Ingestion;
using Send.EventService.Ingestion.Resend;
using Send.EventService.Ingestion.Ses;
using Send.EventService.Ingestion.Smtp;

namespace Send.EventService.Extensions;

internal static class Extensions
{
    /// <summary>Provider callbacks: SNS (SES), Resend and SMTP bounces, verified and published on provider-events.</summary>
    public static void AddProviderIngestion(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SnsOptions>().BindConfiguration(SnsOptions.Section);
        builder.Services.AddOptions<ResendOptions>().BindConfiguration(ResendOptions.Section);
        builder.Services.AddOptions<DsnOptions>().BindConfiguration(DsnOptions.Section);
        builder.Services.AddSingleton<SnsTrust>();
        builder.Services.AddSingleton<SnsHttp>();
        builder.Services.AddSingleton<SnsCertificates>();
        builder.Services.AddSingleton<SnsSignatureVerifier>();
        builder.Services.AddSingleton<SnsSubscriptions>();
        builder.Services.AddSingleton<ResendSignature>();
        builder.Services.AddScoped<ProviderEventOutbox>();
    }
}
