using Microsoft.Extensions.Options;

namespace Send.ServiceDefaults.Identity;

/// <summary>Signs identities with the configured shared secret (the Gateway's and services' side).</summary>
public sealed class InternalIdentitySigner(IOptions<InternalIdentityOptions> options, TimeProvider clock)
{
    private readonly byte[] _key = InternalIdentityToken.KeyFromSecret(options.Value.Secret);

    public string Sign(Caller caller, string method, string path) =>
        InternalIdentityToken.Sign(caller, method, path, _key, clock.GetUtcNow(), options.Value.Lifetime);

    /// <summary>Signs a caller already encoded with <see cref="InternalIdentityToken.EncodeCaller"/> (the Gateway's hot path).</summary>
    public string Sign(string encodedCaller, string method, string path) =>
        InternalIdentityToken.Sign(encodedCaller, method, path, _key, clock.GetUtcNow(), options.Value.Lifetime);
}
