using System.Net;
using Send.BuildingBlocks.ApiKeys;

namespace Send.Gateway.Authentication;

/// <summary>Asks KeyService, the source of truth, for the keys that share a prefix.</summary>
public sealed class KeyServiceClient(HttpClient http)
{
    public async Task<IReadOnlyList<KeyCandidate>> FindByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/internal/api-keys/by-prefix/{Uri.EscapeDataString(prefix)}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<KeyCandidates>(GatewayJson.Options, cancellationToken);
        return body?.Keys ?? [];
    }
}
