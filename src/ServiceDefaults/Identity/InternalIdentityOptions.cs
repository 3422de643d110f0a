using System.ComponentModel.DataAnnotations;

namespace Send.ServiceDefaults.Identity;

public sealed class InternalIdentityOptions
{
    public const string SectionName = "Send:InternalIdentity";

    /// <summary>
    /// Shared only by the Gateway and the services. There is deliberately no default: an install
    /// that forgot it must fail at start, not run with a secret everybody knows.
    /// </summary>
    [Required, MinLength(32)]
    public string Secret { get; set; } = "";

    /// <summary>How long a signed identity is accepted; short, so a leaked header is soon useless.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The token the Dapr sidecar presents in <c>dapr-api-token</c> when it calls the app
    /// (pub/sub deliveries, <c>/dapr/subscribe</c>). Dapr hands it to the app as the
    /// <c>APP_API_TOKEN</c> environment variable, which is the default. Unset: sidecar calls
    /// without a Gateway-signed identity are refused.
    /// </summary>
    public string? DaprAppApiToken { get; set; } = System.Environment.GetEnvironmentVariable("APP_API_TOKEN");
}
