using Microsoft.Extensions.Configuration;

namespace Send.AppHost;

internal static class LocalData
{
    /// <summary>
    /// Where PostgreSQL keeps its data between runs: the repository's git-ignored <c>.local/</c>
    /// folder, unless <c>LocalDataDirectory</c> points elsewhere (tests use a throwaway one).
    /// </summary>
    public static string Directory(IConfiguration configuration, string appHostDirectory)
    {
        var path = configuration["LocalDataDirectory"] ?? Path.GetFullPath(Path.Combine(appHostDirectory, "..", "..", ".local"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
