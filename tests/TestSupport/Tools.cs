using System.Diagnostics;

namespace Send.TestSupport;

internal static class Tools
{
    public static bool IsRoot { get; } = Environment.UserName == "root";

    /// <summary>The newest PostgreSQL server binaries Debian installed.</summary>
    public static string PostgresBin { get; } = FindPostgresBin();

    public static async Task RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static string FindPostgresBin()
    {
        var root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).FirstOrDefault()
            : null;
        return newest is not null && File.Exists(Path.Combine(newest, "bin", "postgres"))
            ? Path.Combine(newest, "bin")
            : throw new InvalidOperationException("PostgreSQL server binaries not found: run scripts/test.sh, which installs them.");
    }
}
