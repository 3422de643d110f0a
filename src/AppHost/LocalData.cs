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

    /// <summary>
    /// The key that seals secrets at rest (DKIM private keys), kept in the data folder: unlike
    /// the identity secret it must survive restarts, or what it sealed could not be opened.
    /// </summary>
    public static string EncryptionKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "encryption-key");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return File.ReadAllText(path).Trim();
    }
}
