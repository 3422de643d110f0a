using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Send.BuildingBlocks.Secrets;

public static class SecretsSetup
{
    /// <summary>The <see cref="SecretBox"/>, checked at start so a missing or malformed key stops the service at once, not at first use.</summary>
    public static IHostApplicationBuilder AddSecretBox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecretsOptions>().Bind(builder.Configuration.GetSection(SecretsOptions.Section))
            .Validate(o => o.EncryptionKey.Length > 0, $"{SecretsOptions.Section}:EncryptionKey is required (32 random bytes, base64).")
            .ValidateOnStart();
        builder.Services.AddSingleton<SecretBox>();
        return builder;
    }
}
