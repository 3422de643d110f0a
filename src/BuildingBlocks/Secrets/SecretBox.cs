using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Send.BuildingBlocks.Secrets;

/// <summary>
/// <c>Send:Secrets</c>: the key that encrypts secrets at rest (DKIM private keys, webhook
/// signing secrets). <see cref="EncryptionKey"/> encrypts; <see cref="PreviousKeys"/> still
/// decrypt, so a key can be rotated without rewriting every row at once. Each is 32 random
/// bytes, base64 (<c>openssl rand -base64 32</c>), held in a Kubernetes Secret in production.
/// </summary>
public sealed class SecretsOptions
{
    public const string Section = "Send:Secrets";

    public string EncryptionKey { get; set; } = "";
    public List<string> PreviousKeys { get; set; } = [];
}

/// <summary>
/// Authenticated encryption (AES-256-GCM) of small secrets for storage:
/// <c>v1.&lt;key id&gt;.&lt;base64 nonce|ciphertext|tag&gt;</c>. The key id (a hash prefix of
/// the key) picks the decryption key; the purpose (like <c>dkim:dom_…</c>) is bound as
/// associated data, so a value copied to another row or another use does not decrypt.
/// </summary>
public sealed class SecretBox
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly (string Id, byte[] Key) _current;
    private readonly Dictionary<string, byte[]> _all;

    public SecretBox(IOptions<SecretsOptions> options)
    {
        var value = options.Value;
        _current = Parse(value.EncryptionKey, $"{SecretsOptions.Section}:EncryptionKey");
        _all = value.PreviousKeys.Select((k, i) => Parse(k, $"{SecretsOptions.Section}:PreviousKeys:{i}"))
            .Append(_current)
            .DistinctBy(k => k.Id)
            .ToDictionary(k => k.Id, k => k.Key);
    }

    public string Seal(string plaintext, string purpose)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + data.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagSize);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceSize, data.Length), sealedBytes.AsSpan(NonceSize + data.Length), Encoding.UTF8.GetBytes(purpose));
        return $"{Version}.{_current.Id}.{Convert.ToBase64String(sealedBytes)}";
    }

    public string Open(string sealedValue, string purpose)
    {
        var parts = sealedValue.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
        {
            throw new CryptographicException("Not a sealed secret.");
        }

        if (!_all.TryGetValue(parts[1], out var key))
        {
            throw new CryptographicException($"Sealed with key {parts[1]}, which is neither {SecretsOptions.Section}:EncryptionKey nor one of its PreviousKeys.");
        }

        var bytes = Convert.FromBase64String(parts[2]);
        var length = bytes.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize, length), bytes.AsSpan(NonceSize + length), plaintext, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plaintext);
    }

    private static (string Id, byte[] Key) Parse(string base64, string setting)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            key = [];
        }

        if (key.Length != 32)
        {
            throw new InvalidOperationException($"{setting} must be 32 random bytes, base64-encoded (openssl rand -base64 32).");
        }

        return (Convert.ToHexStringLower(SHA256.HashData(key))[..8], key);
    }
}
