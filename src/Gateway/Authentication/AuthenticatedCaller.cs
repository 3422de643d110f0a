using System.Runtime.CompilerServices;
using Send.BuildingBlocks.ApiKeys;
using Send.ServiceDefaults.Identity;

namespace Send.Gateway.Authentication;

/// <summary>
/// The caller a verified key stands for, with its identity payload already encoded, so
/// forwarding a request only costs one MAC. Built once per cached key entry.
/// </summary>
public sealed record AuthenticatedCaller(KeyCandidate Key, Caller Caller, string EncodedCaller)
{
    // Entries live exactly as long as the cached key they were built from.
    private static readonly ConditionalWeakTable<KeyCandidate, AuthenticatedCaller> Built = [];

    public static AuthenticatedCaller For(KeyCandidate key, string prefix) =>
        Built.GetValue(key, k =>
        {
            var caller = new Caller
            {
                Kind = Caller.ApiKeyKind,
                OrganizationId = k.OrganizationId,
                KeyId = k.Id,
                KeyPrefix = prefix,
                Permissions = k.Permissions,
                Environment = k.Environment,
                DomainId = k.DomainId,
            };
            return new AuthenticatedCaller(k, caller, InternalIdentityToken.EncodeCaller(caller));
        });
}
