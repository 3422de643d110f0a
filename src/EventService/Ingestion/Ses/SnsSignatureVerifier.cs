using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// Believes an SNS message only when SNS signed it: SignatureVersion 1 (SHA1withRSA) or 2
/// (SHA256withRSA) over <see cref="SnsStringToSign"/>, with a certificate fetched over https from
/// an allowlisted host whose chain ends at a trusted root. The topic is checked first when an
/// allowlist of topics is configured.
/// </summary>
public sealed class SnsSignatureVerifier(SnsCertificates certificates, IOptions<SnsOptions> options)
{
    public async Task VerifyAsync(SnsMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.TopicArns is { Length: > 0 } topics && !topics.Contains(message.TopicArn, StringComparer.Ordinal))
        {
            throw ProviderPayloadException.Forbidden($"Messages from topic '{message.TopicArn}' are not accepted (Providers:Sns:TopicArns).");
        }

        var algorithm = message.SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => throw ProviderPayloadException.BadSignature($"SignatureVersion '{message.SignatureVersion}' is not 1 or 2."),
        };

        if (!HostAllowlist.Permits(message.SigningCertUrl, settings.AllowedHosts))
        {
            throw ProviderPayloadException.BadSignature("The SigningCertURL is not an https URL on an allowed SNS host.");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(message.Signature);
        }
        catch (FormatException)
        {
            throw ProviderPayloadException.BadSignature("The Signature is not base64.");
        }

        var certificate = await certificates.GetAsync(message.SigningCertUrl, cancellationToken);
        using var key = certificate.GetRSAPublicKey()
            ?? throw ProviderPayloadException.BadSignature("The signing certificate has no RSA key.");
        if (!key.VerifyData(SnsStringToSign.For(message), signature, algorithm, RSASignaturePadding.Pkcs1))
        {
            throw ProviderPayloadException.BadSignature("The SNS signature does not match the message.");
        }
    }
}
