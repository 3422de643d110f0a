using System.Security.Cryptography;

namespace Send.EmailService.Domains;

/// <summary>A domain's DKIM key pair: RSA-2048, the public half for DNS, the private half (PEM) to be sealed.</summary>
public static class DkimKeys
{
    public static (string PublicKey, string PrivateKeyPem) Generate()
    {
        using var rsa = RSA.Create(2048);
        return (Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), rsa.ExportRSAPrivateKeyPem());
    }

    public static string TxtValue(string publicKey) => $"v=DKIM1; k=rsa; p={publicKey}";

    /// <summary>DNS carries a TXT value as character-strings of at most 255 bytes; a 2048-bit key needs two.</summary>
    public static IReadOnlyList<string> Split(string value) =>
        [.. Enumerable.Range(0, (value.Length + 254) / 255).Select(i => value.Substring(i * 255, Math.Min(255, value.Length - (i * 255))))];
}
