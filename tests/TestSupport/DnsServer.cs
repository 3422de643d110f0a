using System.Globalization;
using System.Net.Sockets;

namespace Send.TestSupport;

/// <summary>A record to serve: TXT (one or more character-strings), MX or CNAME.</summary>
/// <remarks>On dnsmasq's command line a comma separates character-strings and quotes are kept literally, so values hold no commas.</remarks>
public sealed record TestDnsRecord(string Name, string Type, IReadOnlyList<string> Values, int Priority = 10)
{
    public static TestDnsRecord Txt(string name, params string[] strings) => new(name, "TXT", strings);

    public static TestDnsRecord Mx(string name, string host, int priority = 10) => new(name, "MX", [host], priority);

    public static TestDnsRecord Cname(string name, string target) => new(name, "CNAME", [target]);
}

/// <summary>
/// A real DNS server on loopback (Debian's dnsmasq), authoritative for <c>.test</c>: names it
/// has no record for are NXDOMAIN, as for a real zone. dnsmasq does not reload TXT/MX records
/// on a signal, so publishing a new set restarts it on the same port.
/// </summary>
public sealed class DnsServer : IDisposable
{
    private ExternalProcess? _server;

    private DnsServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>What EmailService's <c>Domains:Resolvers</c> takes.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<DnsServer> StartAsync()
    {
        var server = new DnsServer(FreePort.Next());
        await server.PublishAsync([]);
        return server;
    }

    public async Task PublishAsync(IEnumerable<TestDnsRecord> records)
    {
        _server?.Dispose();
        var arguments = new List<string>
        {
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=",
            "--listen-address=127.0.0.1", "--bind-interfaces", $"--port={Port.ToString(CultureInfo.InvariantCulture)}",
            "--local=/test/", "--log-facility=-", "--user=" + Environment.UserName,
        };
        foreach (var record in records)
        {
            arguments.AddRange(record.Type switch
            {
                "MX" => [$"--mx-host={record.Name},{record.Values[0]},{record.Priority.ToString(CultureInfo.InvariantCulture)}"],
                // dnsmasq serves a CNAME only to a target it knows, so the target gets an address too.
                "CNAME" => [$"--cname={record.Name},{record.Values[0]}", $"--host-record={record.Values[0]},127.0.0.1"],
                _ => [$"--txt-record={record.Name},{string.Join(',', record.Values)}"],
            });
        }

        _server = new ExternalProcess("dnsmasq", File.Exists("/usr/sbin/dnsmasq") ? "/usr/sbin/dnsmasq" : "dnsmasq", arguments);
        await Eventually.Until(async () =>
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException("dnsmasq exited: " + _server.Output);
            }

            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }, ok => ok, TimeSpan.FromSeconds(15), "dnsmasq to answer");
    }

    public void Dispose() => _server?.Dispose();
}
