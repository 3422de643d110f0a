using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;
using Send.EmailService.Model;

namespace Send.EmailService.Domains;

/// <summary>
/// Looks each record up at the configured resolvers (no cache: a fix must show at once) and
/// says what it found. No such name, no such record or a different value is <c>failed</c>;
/// a timeout or a server failure is <c>temporary_failure</c>, which never breaks a verified domain.
/// </summary>
public sealed class DnsChecker
{
    private readonly LookupClient _client;
    private readonly DomainOptions _options;

    public DnsChecker(IOptions<DomainOptions> options)
    {
        _options = options.Value;
        var servers = _options.Resolvers.Select(ParseServer).ToArray();
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.UseCache = false;
        lookup.Timeout = _options.DnsTimeout;
        lookup.Retries = 1;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        lookup.UseTcpFallback = true;
        _client = new LookupClient(lookup);
    }

    public async Task<DomainRecord> CheckAsync(SenderDomain domain, DomainRecord record, CancellationToken cancellationToken)
    {
        var name = DomainRecords.FullName(domain, record);
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, record.Type == "MX" ? QueryType.MX : record.Type == "CNAME" ? QueryType.CNAME : QueryType.TXT, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException e)
        {
            return record with { Status = RecordStatuses.TemporaryFailure, Detail = $"DNS lookup of {name} failed: {e.Message}" };
        }

        if (response.HasError)
        {
            return response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain
                ? record with { Status = RecordStatuses.Failed, Detail = $"{name} does not exist in DNS." }
                : record with { Status = RecordStatuses.TemporaryFailure, Detail = $"The DNS server answered {response.Header.ResponseCode} for {name}." };
        }

        var (matches, found) = record.Type switch
        {
            "MX" => Mx(response, record.Value),
            "CNAME" => Cname(response, record.Value),
            _ => Txt(response, record),
        };
        return matches
            ? record with { Status = RecordStatuses.Verified, Detail = null }
            : record with { Status = RecordStatuses.Failed, Detail = found.Count == 0 ? $"No {record.Type} record at {name}." : Shorten($"Found {string.Join(" | ", found)} at {name}.") };
    }

    private (bool, List<string>) Txt(IDnsQueryResponse response, DomainRecord record)
    {
        var values = response.Answers.TxtRecords().Select(t => string.Concat(t.Text)).ToList();
        var matches = record.Record switch
        {
            "DKIM" => values.Any(v => Tag(v, "p") == Tag(record.Value, "p") && Tag(v, "p") is not null),
            // Exactly one SPF policy per name (RFC 7208 §4.5): two make receivers return permerror.
            "SPF" => values.Count(IsSpf) == 1 && values.Single(IsSpf).Split(' ').Contains($"include:{_options.SpfInclude}", StringComparer.OrdinalIgnoreCase),
            "DMARC" => values.Any(v => v.StartsWith("v=DMARC1", StringComparison.OrdinalIgnoreCase)),
            _ => values.Contains(record.Value, StringComparer.Ordinal),
        };
        return (matches, values);
    }

    private static (bool, List<string>) Mx(IDnsQueryResponse response, string host)
    {
        var exchanges = response.Answers.MxRecords().Select(m => m.Exchange.Value.TrimEnd('.')).ToList();
        return (exchanges.Contains(host, StringComparer.OrdinalIgnoreCase), exchanges);
    }

    private static (bool, List<string>) Cname(IDnsQueryResponse response, string target)
    {
        var targets = response.Answers.OfType<CNameRecord>().Select(c => c.CanonicalName.Value.TrimEnd('.')).ToList();
        return (targets.Contains(target, StringComparer.OrdinalIgnoreCase), targets);
    }

    private static bool IsSpf(string value) => value.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase);

    /// <summary>A tag of a <c>k=v; k=v</c> record, whitespace removed (DKIM keys are often wrapped).</summary>
    private static string? Tag(string record, string tag) =>
        record.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim() == tag)
            .Select(p => string.Concat(p[1].Where(c => !char.IsWhiteSpace(c)))).FirstOrDefault();

    private static string Shorten(string value) => value.Length <= 300 ? value : value[..297] + "...";

    private static NameServer ParseServer(string server)
    {
        var separator = server.LastIndexOf(':');
        var (host, port) = separator > 0 && int.TryParse(server[(separator + 1)..], out var p) ? (server[..separator], p) : (server, 53);
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];
        return new NameServer(address, port);
    }
}
