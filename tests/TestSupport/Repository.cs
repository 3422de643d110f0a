using System.Reflection;

namespace Send.TestSupport;

/// <summary>Where the repository and the services' build outputs are, seen from a test run.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>
    /// The built entry assembly of a service, e.g. <c>ServiceDll("Gateway")</c>, or of a test
    /// host under tests/ (<c>ServiceDll("MessagingProbe")</c>).
    /// </summary>
    public static string ServiceDll(string folder)
    {
        var path = Path.Combine(Root, "src", folder, "bin", Configuration, "net10.0", $"Send.{folder}.dll");
        var testHost = Path.Combine(Root, "tests", folder, "bin", Configuration, "net10.0", $"Send.{folder}.dll");
        return File.Exists(path) ? path
            : File.Exists(testHost) ? testHost
            : throw new FileNotFoundException($"Build the solution first: {path} is missing.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Send.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Send.sln not found above " + AppContext.BaseDirectory);
    }
}
