using System.Security.Cryptography;
using Send.BuildingBlocks.ApiKeys;

namespace Send.Gateway.Authentication;

/// <summary>
/// Picks the candidate whose hash matches the presented token. Every candidate is compared in
/// constant time, and an unknown prefix is compared against a dummy hash, so a wrong secret
/// and a right one take the same path and the same time.
/// </summary>
public static class ApiKeyVerifier
{
    private static readonly byte[] DummyHash = SHA256.HashData("no key has this hash"u8);

    public static KeyCandidate? Match(string token, IReadOnlyList<KeyCandidate> candidates)
    {
        var presented = Convert.FromHexString(ApiKeyToken.Hash(token));
        KeyCandidate? match = null;
        if (candidates.Count == 0)
        {
            CryptographicOperations.FixedTimeEquals(presented, DummyHash);
        }

        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(candidate.KeyHash)))
            {
                match = candidate;
            }
        }

        return match;
    }
}
