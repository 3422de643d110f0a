using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Send.EventService.Tests;

/// <summary>
/// A certificate authority made for one test run: its root is what EventService is told to trust
/// (<c>Providers:Sns:TrustRootPath</c>), and it issues the certificate that signs the SNS
/// messages and the TLS certificate of the host that serves it. Nothing here is trusted by the
/// system, so nothing passes without going through the same chain check production uses.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly RSA _rootKey = RSA.Create(2048);

    public TestCertificateAuthority()
    {
        var now = DateTimeOffset.UtcNow;
        var request = new CertificateRequest("CN=Send Test SNS Root", _rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        RootPemPath = Path.Combine(Path.GetTempPath(), $"send-test-sns-root-{Guid.NewGuid():N}.pem");
        File.WriteAllText(RootPemPath, Root.ExportCertificatePem());

        Signing = Issue("CN=sns.amazonaws.com", X509KeyUsageFlags.DigitalSignature, serverAuth: false);
        Tls = Issue("CN=127.0.0.1", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, serverAuth: true);
    }

    public X509Certificate2 Root { get; }

    public string RootPemPath { get; }

    /// <summary>The certificate SNS messages are signed with (with its private key).</summary>
    public X509Certificate2 Signing { get; }

    /// <summary>The TLS certificate of the stand-in certificate host, for 127.0.0.1.</summary>
    public X509Certificate2 Tls { get; }

    /// <summary>A certificate that looks the same but was issued by nobody EventService trusts.</summary>
    public static X509Certificate2 SelfSignedImpostor()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sns.amazonaws.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    public void Dispose()
    {
        File.Delete(RootPemPath);
        Root.Dispose();
        Signing.Dispose();
        Tls.Dispose();
        _rootKey.Dispose();
    }

    private X509Certificate2 Issue(string subject, X509KeyUsageFlags usage, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        if (serverAuth)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Root, now.AddDays(-1), now.AddDays(7), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
