using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// Which roots SNS's certificates must chain to: the system's, or the one root of
/// <see cref="SnsOptions.TrustRootPath"/> (tests). The same rule checks the signing certificate
/// and the TLS certificate of the host it is fetched from.
/// </summary>
public sealed class SnsTrust : IDisposable
{
    private readonly X509Certificate2? _root;

    public SnsTrust(IOptions<SnsOptions> options)
    {
        if (options.Value.TrustRootPath is { Length: > 0 } path)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(File.ReadAllText(path));
            _root = roots.Count == 1 ? roots[0] : throw new InvalidOperationException($"{SnsOptions.Section}:TrustRootPath must hold exactly one PEM certificate: {path}");
        }
    }

    public bool HasCustomRoot => _root is not null;

    /// <summary>Builds the chain of <paramref name="certificate"/> (with <paramref name="intermediates"/>) to a trusted root, valid now.</summary>
    public bool IsTrusted(X509Certificate2 certificate, X509Certificate2Collection intermediates, out string error)
    {
        using var chain = new X509Chain();
        // Revocation would make every verification depend on reaching a CRL or OCSP responder;
        // the certificate itself is only fetched over TLS from an allowlisted AWS host.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        if (_root is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_root);
        }

        if (chain.Build(certificate))
        {
            error = "";
            return true;
        }

        error = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("untrusted chain"));
        return false;
    }

    /// <summary>The TLS check for the certificate host when a custom root is configured: the name must match, the chain must end at that root.</summary>
    public bool IsTrustedServer(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var server = new X509Certificate2(certificate);
        return IsTrusted(server, [], out _);
    }

    public void Dispose() => _root?.Dispose();
}
