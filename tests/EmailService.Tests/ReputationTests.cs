using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Send.Contracts;
using Send.Contracts.Events;
using Send.TestSupport;
using static Send.TestSupport.HttpJson;

namespace Send.EmailService.Tests;

/// <summary>The platform with a reputation window small enough to cross in a test: 10 sends.</summary>
public sealed class ReputationCluster : EmailCluster
{
    protected override IEnumerable<KeyValuePair<string, string?>> ServiceEnvironment(string folder) =>
        folder == "EventService" ? [new("Reputation__MinimumSent", "10")] : base.ServiceEnvironment(folder);
}

/// <summary>
/// Provider feedback through the whole platform: EmailService applies bounces and publishes
/// <c>email.bounced</c>; EventService counts them into exact analytics, measures each
/// organization's bounce rate and applies its policy; a pause comes back to EmailService as
/// <c>403 sending_paused</c> for that organization only, until an operator reinstates it.
/// </summary>
public sealed class ReputationTests(ReputationCluster cluster) : IClassFixture<ReputationCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly string[] Permissions = ["emails:send", "emails:read", "analytics:read"];

    [Fact]
    public async Task An_organization_over_the_HIGH_bounce_rate_is_paused_under_standard_but_not_under_none_and_others_keep_sending()
    {
        // A: the default organization, policy standard. N: policy none. B: sends cleanly throughout.
        var a = await cluster.OrganizationIdAsync();
        var n = $"org_01none{Guid.NewGuid():N}"[..31];
        var b = $"org_01good{Guid.NewGuid():N}"[..31];
        using var apiA = cluster.CreateAuthenticatedClient();
        using var apiN = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync(n, Permissions));
        using var apiB = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync(b, Permissions));
        await cluster.AddDomainAsync("rep-a.test");
        await cluster.AddDomainAsync("rep-n.test", organizationId: n);
        await cluster.AddDomainAsync("rep-b.test", organizationId: b);
        Assert.Contains("policy none", await cluster.RunCommandAsync("EventService", "reputation", "policy", n, "none"), StringComparison.Ordinal);

        // Ten sends each, then two permanent bounces: the first already reaches the HIGH threshold of 10 %.
        var sentA = await SendManyAsync(apiA, "rep-a.test", 10);
        var sentN = await SendManyAsync(apiN, "rep-n.test", 10);
        await SendManyAsync(apiB, "rep-b.test", 10);
        foreach (var (id, recipient) in sentA.Take(2).Concat(sentN.Take(2)))
        {
            await cluster.PublishAsync(Topics.ProviderEvents, new ProviderEventReceived("smtp", "unused", "bounced", recipient, DateTimeOffset.UtcNow,
                new Dictionary<string, string> { ["bounce_type"] = "Permanent", ["status"] = "5.1.1" }, id, $"dsn-{id}"));
        }

        var deliverabilityA = await Eventually.Until(() => apiA.GetFromJsonAsync<JsonElement>("/v1/analytics/deliverability"),
            d => d.GetProperty("paused").GetBoolean(), Patience, "A to be paused");
        Assert.Equal("standard", deliverabilityA.GetProperty("policy").GetString());
        var finding = deliverabilityA.GetProperty("findings")[0];
        Assert.Equal(("bounce_rate", "HIGH", "paused"), (finding.GetProperty("type").GetString(), finding.GetProperty("severity").GetString(), finding.GetProperty("action").GetString()));
        // One bounce already reaches the threshold; both may arrive in one batch.
        Assert.Matches(@"^Bounce rate (10\.0% \(1|20\.0% \(2) of 10 sent\) over the last 24 h is at or above the HIGH threshold of 10\.0%\.$", finding.GetProperty("description").GetString());
        Assert.Equal(0.10, deliverabilityA.GetProperty("thresholds").GetProperty("bounce_rate").GetProperty("high").GetDouble());

        // Probe with an invalid request: refused as paused (403) once EmailService knows, refused as invalid (422, nothing stored) before.
        var refused = await Eventually.Until(() => SendAsync(apiA, HttpMethod.Post, "/v1/emails", new { to = "late@example.com" }),
            r => r.Response.StatusCode == HttpStatusCode.Forbidden, Patience, "A's sends to be refused");
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(apiA, HttpMethod.Post, "/v1/emails", Email("rep-a.test", "late@example.com"))).Response.StatusCode);
        Assert.Equal("sending_paused", refused.Body.GetProperty("name").GetString());
        Assert.Contains(finding.GetProperty("description").GetString()!, refused.Body.GetProperty("message").GetString(), StringComparison.Ordinal);

        // N's finding is recorded, not acted on; B was never affected.
        var deliverabilityN = await Eventually.Until(() => apiN.GetFromJsonAsync<JsonElement>("/v1/analytics/deliverability"),
            d => d.GetProperty("findings").GetArrayLength() > 0, Patience, "N's finding");
        Assert.False(deliverabilityN.GetProperty("paused").GetBoolean());
        Assert.Equal("recorded", deliverabilityN.GetProperty("findings")[0].GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(apiN, HttpMethod.Post, "/v1/emails", Email("rep-n.test", "more@example.com"))).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(apiB, HttpMethod.Post, "/v1/emails", Email("rep-b.test", "more@example.com"))).Response.StatusCode);
        Assert.Empty((await apiB.GetFromJsonAsync<JsonElement>("/v1/analytics/deliverability")).GetProperty("findings").EnumerateArray());

        // Analytics are exact: ten sent, two bounced, and the events stream holds each bounce once.
        var overview = await Eventually.Until(() => apiA.GetFromJsonAsync<JsonElement>("/v1/analytics/overview?granularity=hour&from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-2).ToString("O"))),
            o => o.GetProperty("totals").GetProperty("sent").GetInt64() == 10, Patience, "A's analytics");
        Assert.Equal((10L, 2L, 2L), (overview.GetProperty("totals").GetProperty("sent").GetInt64(), overview.GetProperty("totals").GetProperty("bounced").GetInt64(),
            overview.GetProperty("totals").GetProperty("hard_bounced").GetInt64()));
        Assert.Equal(0.2, overview.GetProperty("rates").GetProperty("hard_bounce_rate").GetDouble(), 3);
        var bounces = await apiA.GetFromJsonAsync<JsonElement>("/v1/analytics/events?type=bounced");
        Assert.Equal(sentA.Take(2).Select(s => s.Id).Order(), bounces.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("email_id").GetString()!).Order());
        Assert.DoesNotContain(bounces.GetProperty("data").EnumerateArray(), e => sentN.Any(s => s.Id == e.GetProperty("email_id").GetString()));

        // An operator reinstates A; it sends again (and is not paused again at once by the same numbers).
        Assert.Contains("reinstated", await cluster.RunCommandAsync("EventService", "reputation", "reinstate", a, "cleaned the list"), StringComparison.Ordinal);
        await Eventually.Until(() => SendAsync(apiA, HttpMethod.Post, "/v1/emails", Email("rep-a.test", "after@example.com")),
            r => r.Response.StatusCode == HttpStatusCode.OK, Patience, "A to be reinstated");
    }

    [Fact]
    public async Task Bad_analytics_queries_are_refused_by_field()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var (bad, problem) = await SendAsync(api, HttpMethod.Get, "/v1/analytics/overview?granularity=week&from=yesterday");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(["from", "granularity"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        var (tooLong, _) = await SendAsync(api, HttpMethod.Get, "/v1/analytics/overview?granularity=hour&from=2026-01-01&to=2026-11-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        var (reversed, _) = await SendAsync(api, HttpMethod.Get, "/v1/analytics/overview?from=2026-11-02&to=2026-11-01");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reversed.StatusCode);
        var (badCursor, _) = await SendAsync(api, HttpMethod.Get, "/v1/analytics/events?limit=0");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badCursor.StatusCode);
    }

    private static object Email(string domain, string to) => new { from = $"shop@{domain}", to, subject = "Reputation", text = "hi" };

    private static async Task<List<(string Id, string Recipient)>> SendManyAsync(HttpClient api, string domain, int count)
    {
        var sent = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var recipient = $"r{i}-{Guid.NewGuid():N}@example.com";
            var (response, body) = await SendAsync(api, HttpMethod.Post, "/v1/emails", Email(domain, recipient));
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
            sent.Add((body.GetProperty("id").GetString()!, recipient));
        }

        foreach (var (id, _) in sent)
        {
            await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"), e => e.GetProperty("last_event").GetString() == "sent", Patience, $"{id} to be sent");
        }

        return sent;
    }
}
