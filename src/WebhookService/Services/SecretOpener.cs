using Send.BuildingBlocks.Secrets;

namespace Send.WebhookService.Services;

/// <summary>Seals and opens endpoints' signing secrets; the purpose binds each to its endpoint, so a sealed value copied to another row does not open.</summary>
public sealed class SecretOpener(SecretBox box)
{
    public string Seal(string endpointId, string secret) => box.Seal(secret, Purpose(endpointId));

    public string Open(string endpointId, string sealedSecret) => box.Open(sealedSecret, Purpose(endpointId));

    /// <summary>The secrets that sign now: the current one, and the previous one until its overlap ends.</summary>
    public List<string> Signing(string endpointId, string current, string? previous, DateTimeOffset? previousUntil, DateTimeOffset now)
    {
        var secrets = new List<string> { Open(endpointId, current) };
        if (previous is not null && previousUntil > now)
        {
            secrets.Add(Open(endpointId, previous));
        }

        return secrets;
    }

    private static string Purpose(string endpointId) => $"webhook:{endpointId}";
}
