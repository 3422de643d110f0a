using System.Diagnostics;

namespace Send.AppHost;

/// <summary>
/// Redis, PostgreSQL and a mail catcher as plain local processes (from Debian packages and a
/// .NET tool), not containers: no Docker engine is assumed on a contributor's machine.
/// </summary>
internal static class LocalInfrastructure
{
    public static IResourceBuilder<IResourceWithConnectionString> AddLocalRedis(this IDistributedApplicationBuilder builder, int port, string dataDirectory)
    {
        var redis = builder.AddExecutable("redis-server", "redis-server", dataDirectory,
                "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .WithEndpoint(port: port, targetPort: port, name: "tcp", scheme: "tcp", isProxied: false);
        var endpoint = redis.GetEndpoint("tcp");
        return builder.AddConnectionString("redis",
            ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}"));
    }

    public static LocalPostgres AddLocalPostgres(this IDistributedApplicationBuilder builder, int port, string dataDirectory)
    {
        var bin = PostgresBinaries();
        var data = Path.Combine(dataDirectory, "postgres");
        EnsureInitialized(bin, data);

        var postgres = Path.Combine(bin, "postgres");
        string[] serverArgs = ["-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", data, "-c", "listen_addresses=127.0.0.1"];
        var server = builder.AddExecutable("postgres", IsRoot ? "runuser" : postgres, dataDirectory,
                [.. (IsRoot ? new[] { "-u", "postgres", "--", postgres } : []), .. serverArgs])
            .WithEndpoint(port: port, targetPort: port, name: "tcp", scheme: "tcp", isProxied: false);
        return new LocalPostgres(builder, server);
    }

    public static MailCatcher AddMailCatcher(this IDistributedApplicationBuilder builder, int smtpPort, int webPort)
    {
        var catcher = builder.AddExecutable("mailcatcher", "dotnet", builder.AppHostDirectory,
                "tool", "run", "smtp4dev", "--",
                $"--urls=http://127.0.0.1:{webPort}", $"--smtpport={smtpPort}", "--imapport=", "--pop3port=", "--db=", "--tlsmode=None")
            .WithHttpEndpoint(port: webPort, targetPort: webPort, name: "http", isProxied: false)
            .WithEndpoint(port: smtpPort, targetPort: smtpPort, name: "smtp", scheme: "smtp", isProxied: false);
        return new MailCatcher(catcher, $"smtp://127.0.0.1:{smtpPort}");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string PostgresBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres"))).Order().LastOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed: run scripts/run.sh, which installs it.");
    }

    /// <summary>Creates the data directory once (trust auth on loopback: a local, single-user setup).</summary>
    private static void EnsureInitialized(string bin, string data)
    {
        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(data);
        if (IsRoot)
        {
            Run("chown", "postgres:postgres", data);
            Run("runuser", "-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        }
        else
        {
            Run(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }
}

internal sealed record MailCatcher(IResourceBuilder<ExecutableResource> Resource, string SmtpConnectionString);

internal sealed class LocalPostgres(IDistributedApplicationBuilder builder, IResourceBuilder<ExecutableResource> server)
{
    public IResourceBuilder<ExecutableResource> Server => server;

    /// <summary>A connection string for one service's own database on this server.</summary>
    public IResourceBuilder<IResourceWithConnectionString> Database(string connectionName, string databaseName)
    {
        var endpoint = server.GetEndpoint("tcp");
        return builder.AddConnectionString(connectionName, ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username=postgres;Database={databaseName}"));
    }
}
