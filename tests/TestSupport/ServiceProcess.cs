namespace Send.TestSupport;

/// <summary>One Send service running as its own process on a free port, as in production.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly ExternalProcess _process;

    private ServiceProcess(string folder, int port, ExternalProcess process)
    {
        Folder = folder;
        Port = port;
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Folder { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string Logs => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the built service and waits until it answers its liveness probe.</summary>
    public static async Task<ServiceProcess> StartAsync(string folder, IDictionary<string, string?> environment, int? port = null)
    {
        var chosenPort = port ?? FreePort.Next();
        var env = new Dictionary<string, string?>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{chosenPort}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__MigrateOnStartup"] = "true",
            ["DOTNET_NOLOGO"] = "1",
            ["Logging__Console__FormatterName"] = "simple",
        };
        var dll = Repository.ServiceDll(folder);
        // The content root (appsettings.json) is the working directory, as in a container.
        var process = new ExternalProcess(folder, "dotnet", [dll], env, Path.GetDirectoryName(dll));
        var service = new ServiceProcess(folder, chosenPort, process);
        await service.WaitUntilLiveAsync();
        return service;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();

    private async Task WaitUntilLiveAsync()
    {
        using var http = CreateClient();
        await Eventually.Until(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Folder} exited during start-up:\n{_process.Output}");
            }

            using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }, live => live, TimeSpan.FromSeconds(90), $"{Folder} to start");
    }
}
