using System.Security.Cryptography;
using Send.EmailService.Model;

namespace Send.EmailService.Domains;

/// <summary>
/// The records a domain publishes, named relative to the domain as Resend shows them:
/// <list type="bullet">
/// <item>DKIM: <c>{selector}._domainkey</c> TXT with Send's public key (required).</item>
/// <item>SPF: the return-path subdomain's MX (bounces) and TXT <c>v=spf1 include:… ~all</c> (required).</item>
/// <item>DMARC: <c>_dmarc</c> TXT <c>p=none</c> to start (recommended).</item>
/// <item>Ownership: <c>_send-verification</c> TXT with a random token (recommended; DKIM already proves control).</item>
/// </list>
/// </summary>
public static class DomainRecords
{
    public const string OwnershipName = "_send-verification";

    public static void Generate(SenderDomain domain, DomainOptions options, string publicKey)
    {
        domain.DkimSelector = options.DkimSelector;
        domain.DkimPublicKey = publicKey;
        domain.OwnershipToken = "send-verification=" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var mx = options.ReturnPathMx.Replace("{region}", domain.Region, StringComparison.Ordinal);
        domain.Records =
        [
            new("DKIM", $"{domain.DkimSelector}._domainkey", "TXT", DkimKeys.TxtValue(publicKey), null, true, RecordStatuses.NotStarted),
            new("SPF", domain.ReturnPathSubdomain, "MX", mx, 10, true, RecordStatuses.NotStarted),
            new("SPF", domain.ReturnPathSubdomain, "TXT", $"v=spf1 include:{options.SpfInclude} ~all", null, true, RecordStatuses.NotStarted),
            new("DMARC", "_dmarc", "TXT", "v=DMARC1; p=none;", null, false, RecordStatuses.NotStarted),
            new("Ownership", OwnershipName, "TXT", domain.OwnershipToken, null, false, RecordStatuses.NotStarted),
        ];
    }

    public static string FullName(SenderDomain domain, DomainRecord record) => $"{record.Name}.{domain.Name}";
}
