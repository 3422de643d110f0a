using System.Net;
using System.Text.Json;
using Send.Contracts.Events;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>Small steps the webhook tests share: an organization of their own, an endpoint in it, events for it.</summary>
internal static class Hooks
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>A client of a fresh organization (its id returned too, to publish events for it).</summary>
    public static async Task<(HttpClient Client, string OrganizationId)> OrganizationAsync(SendCluster cluster)
    {
        var organizationId = "org_" + Guid.NewGuid().ToString("N")[..26];
        var key = await cluster.CreateOrganizationWithKeyAsync(organizationId, ["webhooks:read", "webhooks:write"]);
        return (cluster.CreateAuthenticatedClient(key), organizationId);
    }

    /// <summary>Registers <paramref name="url"/> for <paramref name="events"/>; returns the webhook's id.</summary>
    public static async Task<string> CreateAsync(HttpClient client, string url, params string[] events)
    {
        var (response, webhook) = await HttpJson.SendAsync(client, HttpMethod.Post, "/v1/webhooks", new { endpoint = url, events });
        Assert.True(response.StatusCode == HttpStatusCode.Created, webhook.ToString());
        return webhook.GetProperty("id").GetString()!;
    }

    /// <summary>A domain event as EmailService publishes it; <paramref name="domainId"/> tells events apart in payloads.</summary>
    public static DomainLifecycleEvent Domain(string organizationId, string domainId, string type) =>
        new(organizationId, domainId, type, DateTimeOffset.UtcNow, domainId + ".example", "verified", []);

    /// <summary>The domain id a delivered domain event's payload names.</summary>
    public static string DomainIdOf(Received request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("data").GetProperty("id").GetString()!;

    /// <summary>Requests answered 2xx, one per webhook-id.</summary>
    public static int Accepted(Receiver receiver) => receiver.Requests.Where(r => r.Answered is >= 200 and < 300).Select(r => r.Header("webhook-id")).Distinct().Count();

    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var (response, body) = await HttpJson.SendAsync(client, HttpMethod.Get, path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {body}");
        return body;
    }
}
