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
/// <item>With SES as a provider, SES Easy DKIM: three <c>{token}._domainkey</c> CNAMEs to keys SES
/// hosts, an alternative to Send's DKIM TXT (<see cref="DomainRecord.AlternativeTo"/>).</item>
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

    public static IEnumerable<DomainRecord> SesDkim(IEnumerable<string> tokens, string cnameSuffix) =>
        tokens.Select(token => new DomainRecord("DKIM", $"{token}._domainkey", "CNAME", $"{token}.{cnameSuffix}", null, false, RecordStatuses.NotStarted, AlternativeTo: "DKIM"));

    public static bool HasSesDkim(SenderDomain domain) => domain.Records.Any(r => r.Type == "CNAME" && r.AlternativeTo == "DKIM");

    /// <summary>
    /// A required record is met when it is verified, or when its whole alternative set is
    /// (every SES DKIM CNAME stands in for Send's DKIM TXT).
    /// </summary>
    public static bool IsMet(DomainRecord record, IReadOnlyCollection<DomainRecord> records)
    {
        if (record.Status == RecordStatuses.Verified)
        {
            return true;
        }

        var alternatives = records.Where(a => a.AlternativeTo == record.Record).ToList();
        return alternatives.Count > 0 && alternatives.All(a => a.Status == RecordStatuses.Verified);
    }

    /// <summary>What still needs publishing: unmet records, and an alternative set only while what it replaces is unmet.</summary>
    public static IEnumerable<DomainRecord> StillNeeded(IReadOnlyCollection<DomainRecord> records) =>
        records.Where(r => r.Status != RecordStatuses.Verified
            && (r.AlternativeTo is null ? !IsMet(r, records) : !records.Any(p => p.AlternativeTo is null && p.Record == r.AlternativeTo && IsMet(p, records))));

    public static string FullName(SenderDomain domain, DomainRecord record) => $"{record.Name}.{domain.Name}";
}
