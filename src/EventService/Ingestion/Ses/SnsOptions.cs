namespace Send.EventService.Ingestion.Ses;

/// <summary><c>Providers:Sns</c>: which SNS messages EventService believes.</summary>
public sealed class SnsOptions
{
    public const string Section = "Providers:Sns";

    /// <summary>SNS's own hosts, in every commercial and China region.</summary>
    public static readonly IReadOnlyList<string> DefaultHosts = ["sns.*.amazonaws.com", "sns.*.amazonaws.com.cn"];

    /// <summary>
    /// Hosts that may serve the signing certificate and the subscription URL, <c>*</c> standing for
    /// one DNS label. A URL with a port other than 443 must name it (<c>127.0.0.1:5443</c>), so
    /// the defaults only ever allow SNS on 443. Unset: <see cref="DefaultHosts"/>.
    /// </summary>
    public string[]? CertificateHosts { get; set; }

    /// <summary>When set, only these topics are believed (exact ARNs); a message from any other topic is refused.</summary>
    public string[]? TopicArns { get; set; }

    /// <summary>
    /// A PEM file holding the one root the signing certificate's chain (and the certificate host's
    /// TLS certificate) must end at, instead of the system's roots. For tests, which sign with a
    /// CA of their own; production leaves it unset. Verification is never skipped.
    /// </summary>
    public string? TrustRootPath { get; set; }

    /// <summary>Confirm subscriptions by visiting their SubscribeURL (after the message verified).</summary>
    public bool ConfirmSubscriptions { get; set; } = true;

    public IReadOnlyList<string> AllowedHosts => CertificateHosts is { Length: > 0 } hosts ? hosts : DefaultHosts;
}
