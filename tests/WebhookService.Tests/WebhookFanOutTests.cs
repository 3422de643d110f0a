using System.Net;
using Send.Contracts;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>
/// Events published on the topics (through an outbox, as EmailService does) become exactly one
/// delivery per matching endpoint of the event's organization, and no other organization's.
/// </summary>
[Collection(WebhookClusterDefinition.Name)]
public sealed class WebhookFanOutTests(WebhookCluster cluster)
{
    [Fact]
    public async Task A_thousand_events_fan_out_to_three_endpoints_by_their_filters_with_exact_counts()
    {
        await using var all = await Receiver.StartAsync();
        await using var verified = await Receiver.StartAsync();
        await using var createdOrDeleted = await Receiver.StartAsync();
        var (client, organizationId) = await Hooks.OrganizationAsync(cluster);
        using var _ = client;
        var ids = new[]
        {
            await Hooks.CreateAsync(client, all.Url, "*"),
            await Hooks.CreateAsync(client, verified.Url, "domain.verified"),
            await Hooks.CreateAsync(client, createdOrDeleted.Url, "domain.created", "domain.deleted"),
        };

        // 400 verified, 300 created, 300 deleted.
        static string TypeOf(int i) => (i % 10) switch { < 4 => "domain.verified", < 7 => "domain.created", _ => "domain.deleted" };
        var events = Enumerable.Range(0, 1000).Select(i => Hooks.Domain(organizationId, $"dom_{i:D4}", TypeOf(i))).ToList();
        await cluster.PublishAsync(Topics.DomainEvents, events);

        var expected = new[] { (all, 1000), (verified, 400), (createdOrDeleted, 600) };
        foreach (var (receiver, count) in expected)
        {
            await Eventually.Until(() => Task.FromResult(Hooks.Accepted(receiver)), n => n >= count, Hooks.Deadline, $"{count} deliveries at {receiver.Url}");
        }

        // Exactly: each expected event once per endpoint, nothing else, and as many deliveries stored.
        Assert.Equal(events.Select(e => e.DomainId).Order(StringComparer.Ordinal), all.Requests.Select(Hooks.DomainIdOf).Order(StringComparer.Ordinal));
        Assert.Equal(events.Where(e => e.Event == "domain.verified").Select(e => e.DomainId).Order(StringComparer.Ordinal),
            verified.Requests.Select(Hooks.DomainIdOf).Order(StringComparer.Ordinal));
        Assert.Equal(events.Where(e => e.Event != "domain.verified").Select(e => e.DomainId).Order(StringComparer.Ordinal),
            createdOrDeleted.Requests.Select(Hooks.DomainIdOf).Order(StringComparer.Ordinal));
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(expected[i].Item2, await cluster.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = @id AND status = 'delivered'", ("id", ids[i])));
        }
    }

    [Fact]
    public async Task Organization_B_never_receives_organization_A_events_nor_sees_its_deliveries()
    {
        await using var receiverA = await Receiver.StartAsync();
        await using var receiverB = await Receiver.StartAsync();
        var (a, organizationA) = await Hooks.OrganizationAsync(cluster);
        var (b, organizationB) = await Hooks.OrganizationAsync(cluster);
        using var _ = a;
        using var __ = b;
        var webhookA = await Hooks.CreateAsync(a, receiverA.Url, "*");
        await Hooks.CreateAsync(b, receiverB.Url, "*");

        await cluster.PublishAsync(Topics.DomainEvents, Enumerable.Range(0, 50).Select(i => Hooks.Domain(organizationA, $"dom_a{i}", "domain.created")));
        // Published after A's: once it has arrived, A's have been fanned out too.
        await cluster.PublishAsync(Topics.DomainEvents, [Hooks.Domain(organizationB, "dom_b", "domain.created")]);

        await Eventually.Until(() => Task.FromResult((Hooks.Accepted(receiverA), Hooks.Accepted(receiverB))), n => n.Item1 == 50 && n.Item2 >= 1, Hooks.Deadline, "A's 50 and B's one");
        Assert.Equal(["dom_b"], receiverB.Requests.Select(Hooks.DomainIdOf));
        Assert.All(receiverA.Requests, r => Assert.StartsWith("dom_a", Hooks.DomainIdOf(r), StringComparison.Ordinal));

        var deliveryA = (await Hooks.GetAsync(a, $"/v1/webhooks/{webhookA}/deliveries?limit=1")).GetProperty("data")[0].GetProperty("id").GetString();
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/deliveries"), (HttpMethod.Get, "/history"), (HttpMethod.Post, $"/deliveries/{deliveryA}/replay"), (HttpMethod.Put, "") })
        {
            var (response, _) = await HttpJson.SendAsync(b, method, $"/v1/webhooks/{webhookA}{path}",
                method == HttpMethod.Put ? new { endpoint = "https://example.com/b", events = new[] { "*" } } : null);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        Assert.Equal(50, Hooks.Accepted(receiverA));
    }
}
