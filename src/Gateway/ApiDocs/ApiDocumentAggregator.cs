using System.Text.Json.Nodes;
using Send.ServiceDefaults.OpenApi;
using Yarp.ReverseProxy.Configuration;

namespace Send.Gateway.ApiDocs;

/// <summary>
/// Builds the one OpenAPI 3.1 document of the public API by merging the documents the services
/// publish about their own <c>/v1</c> routes. A service that is down is left out and named in
/// <c>x-send-missing-services</c> rather than failing the whole document.
/// </summary>
public sealed class ApiDocumentAggregator(IHttpClientFactory httpClients, IProxyConfigProvider proxyConfig, TimeProvider clock, ILogger<ApiDocumentAggregator> logger) : IDisposable
{
    public const string HttpClientName = "openapi";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (JsonObject Document, DateTimeOffset BuiltAt)? _cached;

    public async Task<JsonObject> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && clock.GetUtcNow() - cached.BuiltAt < CacheFor)
            {
                return cached.Document;
            }

            var document = await BuildAsync(cancellationToken);
            // A partial document is not cached, so it heals as soon as the service is back.
            if (!document.ContainsKey("x-send-missing-services"))
            {
                _cached = (document, clock.GetUtcNow());
            }

            return document;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<JsonObject> BuildAsync(CancellationToken cancellationToken)
    {
        var merged = ApiDocumentSkeleton.Create();
        var paths = merged["paths"]!.AsObject();
        var schemas = merged["components"]!["schemas"]!.AsObject();
        var missing = new JsonArray();

        foreach (var cluster in proxyConfig.GetConfig().Clusters.OrderBy(c => c.ClusterId, StringComparer.Ordinal))
        {
            var address = cluster.Destinations?.Values.FirstOrDefault()?.Address;
            var document = address is null ? null : await FetchAsync(cluster.ClusterId, address, cancellationToken);
            if (document is null)
            {
                missing.Add(cluster.ClusterId);
                continue;
            }

            MergeInto(paths, document["paths"] as JsonObject);
            MergeInto(schemas, document["components"]?["schemas"] as JsonObject);
        }

        if (missing.Count > 0)
        {
            merged["x-send-missing-services"] = missing;
        }

        return merged;
    }

    private async Task<JsonObject?> FetchAsync(string clusterId, string address, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            var url = new Uri(new Uri(address), OpenApiSetup.DocumentPath);
            return JsonNode.Parse(await client.GetStringAsync(url, timeout.Token)) as JsonObject;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("OpenAPI document of {Cluster} is unavailable: {Message}", clusterId, ex.Message);
            return null;
        }
    }

    public void Dispose() => _gate.Dispose();

    private static void MergeInto(JsonObject target, JsonObject? source)
    {
        if (source is null)
        {
            return;
        }

        foreach (var (name, value) in source.ToList())
        {
            // Services own disjoint route prefixes; for shared schema names the first wins.
            if (!target.ContainsKey(name))
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}
