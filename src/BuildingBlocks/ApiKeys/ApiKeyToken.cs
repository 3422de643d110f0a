using System.Security.Cryptography;
using System.Text;

namespace Send.BuildingBlocks.ApiKeys;

/// <summary>
/// The seed's key format: <c>do_live_</c> or <c>do_test_</c> and 32 base62 characters of
/// cryptographic randomness. The first 16 characters are the lookup prefix; the rest never
/// leaves the response that created it.
/// </summary>
public static class ApiKeyToken
{
    public const int PrefixLength = 16;
    public const int SecretLength = 32;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    public static string Generate(string environment) =>
        $"do_{environment}_{RandomNumberGenerator.GetString(Alphabet, SecretLength)}";

    /// <summary>Parses a presented token; false for anything that is not exactly the format.</summary>
    public static bool TryParse(string? token, out string environment, out string prefix)
    {
        environment = "";
        prefix = "";
        if (token is null || token.Length != 8 + SecretLength)
        {
            return false;
        }

        var env = token.StartsWith("do_live_", StringComparison.Ordinal) ? "live"
            : token.StartsWith("do_test_", StringComparison.Ordinal) ? "test"
            : null;
        if (env is null || token.AsSpan(8).ContainsAnyExcept(AlphabetValues))
        {
            return false;
        }

        environment = env;
        prefix = token[..PrefixLength];
        return true;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
