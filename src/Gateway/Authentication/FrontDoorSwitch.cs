namespace Send.Gateway.Authentication;

/// <summary>
/// <c>Gateway:FrontDoor:Enabled=false</c> turns authentication and quotas off, which only a
/// benchmark baseline needs. It is refused in any environment but <c>Benchmark</c>, so it
/// cannot open a real install by a stray setting.
/// </summary>
public static class FrontDoorSwitch
{
    public const string EnabledKey = "Gateway:FrontDoor:Enabled";
    public const string BenchmarkEnvironment = "Benchmark";

    public static bool IsEnabled(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (configuration.GetValue(EnabledKey, true))
        {
            return true;
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        return environment.IsEnvironment(BenchmarkEnvironment)
            ? false
            : throw new InvalidOperationException($"{EnabledKey}=false is only allowed in the {BenchmarkEnvironment} environment.");
    }
}
