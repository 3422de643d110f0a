using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Secrets;

namespace Send.BuildingBlocks.Tests.Secrets;

public sealed class SecretBoxTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static SecretBox Box(string key, params string[] previous) =>
        new(Options.Create(new SecretsOptions { EncryptionKey = key, PreviousKeys = [.. previous] }));

    [Fact]
    public void A_sealed_secret_opens_only_with_its_purpose_and_reveals_nothing()
    {
        var box = Box(NewKey());
        var sealedValue = box.Seal("-----BEGIN RSA PRIVATE KEY-----", "dkim:dom_a");

        Assert.StartsWith("v1.", sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, box.Seal("-----BEGIN RSA PRIVATE KEY-----", "dkim:dom_a"));
        Assert.Equal("-----BEGIN RSA PRIVATE KEY-----", box.Open(sealedValue, "dkim:dom_a"));
        Assert.ThrowsAny<CryptographicException>(() => box.Open(sealedValue, "dkim:dom_b"));
    }

    [Fact]
    public void A_changed_byte_is_detected()
    {
        var box = Box(NewKey());
        var parts = box.Seal("secret", "p").Split('.');
        var bytes = Convert.FromBase64String(parts[2]);
        bytes[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => box.Open($"{parts[0]}.{parts[1]}.{Convert.ToBase64String(bytes)}", "p"));
    }

    [Fact]
    public void After_a_rotation_old_values_still_open_and_new_ones_use_the_new_key()
    {
        var oldKey = NewKey();
        var sealedBefore = Box(oldKey).Seal("before", "p");
        var rotated = Box(NewKey(), oldKey);

        Assert.Equal("before", rotated.Open(sealedBefore, "p"));
        Assert.NotEqual(sealedBefore.Split('.')[1], rotated.Seal("after", "p").Split('.')[1]);
        Assert.Throws<CryptographicException>(() => Box(NewKey()).Open(sealedBefore, "p"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void A_missing_or_malformed_key_is_refused_at_start(string key) =>
        Assert.Throws<InvalidOperationException>(() => Box(key));
}
