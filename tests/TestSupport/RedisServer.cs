using System.Net.Sockets;

namespace Send.TestSupport;

/// <summary>A private redis-server on a free loopback port, without persistence.</summary>
public sealed class RedisServer : IDisposable
{
    private ExternalProcess? _server;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        _server = new ExternalProcess("redis", "redis-server",
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dbfilename", "send-test.rdb"]);
        await Eventually.Until(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            return true;
        }, ok => ok, TimeSpan.FromSeconds(15), "Redis to accept connections");
    }

    public void Stop()
    {
        _server?.Dispose();
        _server = null;
    }

    public void Dispose() => Stop();
}
