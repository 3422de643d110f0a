using System.Security.Cryptography;
using Send.BuildingBlocks.ApiKeys;
using Xunit;

namespace Send.TestSupport;

/// <summary>
/// The whole platform as separate processes: the Gateway and the four services, each with its
/// own throwaway database on the shared PostgreSQL, sharing Redis and one internal-identity
/// secret, and a bootstrap key for an organization <c>default</c>.
/// </summary>
public class SendCluster : IAsyncLifetime
{
    public static readonly string[] Services = ["KeyService", "EmailService", "EventService", "WebhookService"];

    private readonly Dictionary<string, ServiceProcess> _services = [];
    private readonly Dictionary<string, string> _databases = [];
    private readonly Dictionary<string, Dictionary<string, string?>> _environments = [];

    public string BootstrapKey { get; } = ApiKeyToken.Generate("live");

    public string IdentitySecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>The key EmailService seals DKIM private keys with.</summary>
    public string EncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public ServiceProcess Gateway { get; private set; } = null!;

    public PostgresServer Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public ServiceProcess Service(string folder) => _services[folder];

    /// <summary>The connection string of a service's own database, for tests that check what was stored.</summary>
    public string DatabaseConnectionString(string folder) => _databases[folder];

    /// <summary>A client of the Gateway that authenticates with the bootstrap key.</summary>
    public HttpClient CreateAuthenticatedClient(string? key = null)
    {
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key ?? BootstrapKey);
        return client;
    }

    public string AllLogs => string.Join("\n", _services.Values.Append(Gateway).Select(s => s.Logs));

    public virtual async Task InitializeAsync()
    {
        Postgres = await SharedInfrastructure.PostgresAsync();
        Redis = await StartRedisAsync();

        var started = await Task.WhenAll(Services.Select(async folder =>
        {
            var database = await Postgres.CreateDatabaseAsync(folder.Replace("Service", "", StringComparison.Ordinal).ToLowerInvariant());
            var env = CommonEnvironment();
            env[$"ConnectionStrings__{DatabaseNames[folder]}"] = Postgres.ConnectionString(database);
            lock (_databases)
            {
                _databases[folder] = Postgres.ConnectionString(database);
            }

            foreach (var (key, value) in ServiceEnvironment(folder))
            {
                env[key] = value;
            }

            if (folder == "KeyService")
            {
                env["SEND_BOOTSTRAP_API_KEY"] = BootstrapKey;
                // Drain usage counters quickly, so tests see them without waiting long.
                env["Usage__SyncInterval"] = "00:00:00.500";
            }

            lock (_environments)
            {
                _environments[folder] = env;
            }

            return await ServiceProcess.StartAsync(folder, env);
        }));
        foreach (var service in started)
        {
            _services[service.Folder] = service;
        }

        Gateway = await StartGatewayAsync();
    }

    /// <summary>
    /// Kills a service without warning (SIGKILL, as a crashed pod) and starts it again on the
    /// same port with the same settings, so the Gateway finds it where it was.
    /// </summary>
    public async Task<ServiceProcess> CrashAndRestartAsync(string folder)
    {
        var old = _services[folder];
        old.Kill();
        old.Dispose();
        var restarted = await ServiceProcess.StartAsync(folder, _environments[folder], old.Port);
        _services[folder] = restarted;
        return restarted;
    }

    /// <summary>
    /// Runs one of a service's operator commands (<c>dotnet Send.EventService.dll reputation …</c>)
    /// with the service's own settings, as <c>kubectl exec</c> would, and returns what it printed.
    /// </summary>
    public async Task<string> RunCommandAsync(string folder, params string[] args)
    {
        var dll = Repository.ServiceDll(folder);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in _environments[folder])
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{folder} {string.Join(' ', args)} exited with {process.ExitCode}: {await errors}{await output}");
    }

    /// <summary>Settings a cluster adds to one service (a mail server for EmailService, say).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ServiceEnvironment(string folder) => [];

    /// <summary>
    /// The Redis the platform uses, one per cluster: two clusters sharing one would share its
    /// streams too, and each cluster's EmailService would take the other's queued emails.
    /// </summary>
    protected virtual Task<RedisServer> StartRedisAsync() => RedisServer.StartAsync();

    /// <summary>
    /// A second organization with a live key holding <paramref name="permissions"/>; returns the
    /// key's token. Organizations are made by operators, not through the public API, so it is
    /// written straight into KeyService's database.
    /// </summary>
    public Task<string> CreateOrganizationWithKeyAsync(params string[] permissions) =>
        CreateOrganizationWithKeyAsync("org_" + Guid.NewGuid().ToString("N")[..26], permissions);

    /// <summary>The same, with an organization id chosen in advance (to configure something for it before it exists).</summary>
    public async Task<string> CreateOrganizationWithKeyAsync(string organizationId, string[] permissions)
    {
        var token = ApiKeyToken.Generate("live");
        var suffix = Guid.NewGuid().ToString("N")[..26];
        await using var db = new Npgsql.NpgsqlConnection(DatabaseConnectionString("KeyService"));
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("""
            INSERT INTO organizations (id, name, created_at) VALUES (@org, @name, now());
            INSERT INTO api_keys (id, organization_id, name, key_prefix, key_hash, permissions, services, environment,
                                  rate_limit_requests, rate_limit_period_seconds, status, allowed_cidrs, created_at)
            VALUES (@key, @org, 'admin', @prefix, @hash, @perms, '{send}', 'live', 1000, 60, 'active', '{}', now());
            """, db);
        command.Parameters.AddWithValue("org", organizationId);
        command.Parameters.AddWithValue("name", "org-" + suffix);
        command.Parameters.AddWithValue("key", "key_" + suffix);
        command.Parameters.AddWithValue("prefix", token[..16]);
        command.Parameters.AddWithValue("hash", ApiKeyToken.Hash(token));
        command.Parameters.AddWithValue("perms", permissions);
        await command.ExecuteNonQueryAsync();
        return token;
    }

    /// <summary>Starts another Gateway replica wired to the same services, with <paramref name="settings"/> on top.</summary>
    public Task<ServiceProcess> StartGatewayAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var env = CommonEnvironment();
        foreach (var (folder, service) in _services)
        {
            env[$"services__{folder.ToLowerInvariant()}__http__0"] = service.BaseAddress.ToString().TrimEnd('/');
        }

        foreach (var (key, value) in settings ?? [])
        {
            env[key] = value;
        }

        return ServiceProcess.StartAsync("Gateway", env);
    }

    public virtual Task DisposeAsync()
    {
        Gateway?.Dispose();
        foreach (var service in _services.Values)
        {
            service.Dispose();
        }

        Redis?.Dispose();
        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, string> DatabaseNames = new()
    {
        ["KeyService"] = "keysdb",
        ["EmailService"] = "emaildb",
        ["EventService"] = "eventsdb",
        ["WebhookService"] = "webhooksdb",
    };

    private Dictionary<string, string?> CommonEnvironment() => new()
    {
        ["Send__InternalIdentity__Secret"] = IdentitySecret,
        ["Send__Secrets__EncryptionKey"] = EncryptionKey,
        ["ConnectionStrings__redis"] = Redis.ConnectionString,
    };
}
