using System.Security.Cryptography;
using Send.ServiceDefaults.Identity;

namespace Send.ServiceDefaults.Tests;

public sealed class InternalIdentityTokenTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly Caller Caller = new()
    {
        Kind = Caller.ApiKeyKind,
        OrganizationId = "org_1",
        KeyId = "key_1",
        KeyPrefix = "do_live_abcdefgh",
        Permissions = ["emails:send"],
        Environment = "test",
    };

    [Fact]
    public void A_signed_identity_verifies_and_round_trips_the_caller()
    {
        var token = InternalIdentityToken.Sign(Caller, "POST", "/v1/emails", Key, Now, TimeSpan.FromSeconds(60));

        Assert.True(InternalIdentityToken.TryVerify(token, "post", "/v1/emails", Key, Now.AddSeconds(59), out var caller, out _));
        Assert.Equal(Caller.OrganizationId, caller!.OrganizationId);
        Assert.Equal(Caller.Permissions, caller.Permissions);
        Assert.True(caller.IsTest);
    }

    [Theory]
    [InlineData("GET", "/v1/emails", 0, "another method")]
    [InlineData("POST", "/v1/domains", 0, "another path")]
    [InlineData("POST", "/v1/emails", 61, "after expiry")]
    [InlineData("POST", "/v1/emails", -120, "issued in the future")]
    public void An_identity_is_refused_out_of_its_context(string method, string path, int secondsLater, string because)
    {
        var token = InternalIdentityToken.Sign(Caller, "POST", "/v1/emails", Key, Now, TimeSpan.FromSeconds(60));
        Assert.False(InternalIdentityToken.TryVerify(token, method, path, Key, Now.AddSeconds(secondsLater), out _, out var error), because);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_tampered_payload_is_refused()
    {
        var token = InternalIdentityToken.Sign(Caller, "GET", "/v1/emails", Key, Now, TimeSpan.FromSeconds(60));
        var parts = token.Split('.');
        parts[1] = InternalIdentityToken.EncodeCaller(Caller with { OrganizationId = "org_2" });
        var tampered = string.Join('.', parts);

        Assert.False(InternalIdentityToken.TryVerify(tampered, "GET", "/v1/emails", Key, Now, out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1.abc")]
    [InlineData("v2.abc.def")]
    [InlineData("v1.abc.%%%")]
    [InlineData("v1.abc.1.2.%%%")]
    [InlineData("v1.abc.x.2.def")]
    public void A_malformed_header_is_refused(string? token)
    {
        Assert.False(InternalIdentityToken.TryVerify(token, "GET", "/", Key, Now, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_base64_secret_is_used_as_its_bytes_and_a_text_secret_as_utf8()
    {
        var bytes = RandomNumberGenerator.GetBytes(48);
        Assert.Equal(bytes, InternalIdentityToken.KeyFromSecret(Convert.ToBase64String(bytes)));
        Assert.Equal("a plain text secret that is long enough"u8.ToArray(), InternalIdentityToken.KeyFromSecret("a plain text secret that is long enough"));
    }
}
