using System.Net;
using Send.Contracts;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>
/// What breaks, and what still holds: an endpoint gone (410) or failing for long is disabled with
/// a record of why; a slow endpoint keeps to its slots and does not starve a fast one; a
/// WebhookService killed mid-delivery loses nothing, and events published again add nothing.
/// </summary>
[Collection(WebhookClusterDefinition.Name)]
public sealed class WebhookReliabilityTests(WebhookCluster cluster)
{
    [Fact]
    public async Task A_410_disables_the_endpoint_at_once_with_a_history_entry_and_a_webhook_disabled_event_in_the_outbox()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Status = 410;
        var (client, organizationId) = await Hooks.OrganizationAsync(cluster);
        using var _ = client;
        var id = await Hooks.CreateAsync(client, receiver.Url, "*");
        await HttpJson.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{id}/test");

        var webhook = await Eventually.Until(() => Hooks.GetAsync(client, $"/v1/webhooks/{id}"), w => w.GetProperty("status").GetString() == "disabled", Hooks.Deadline, "disabled");
        Assert.Contains("410", webhook.GetProperty("health").GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
        await AssertDisabledRecordAsync(client, organizationId, id, "410");

        // Nothing is replayed into a disabled endpoint. Enabled again, its waiting delivery resumes,
        // and a replay sends it once more under the same webhook-id.
        var delivery = (await Hooks.GetAsync(client, $"/v1/webhooks/{id}/deliveries")).GetProperty("data")[0].GetProperty("id").GetString()!;
        var (conflict, problem) = await HttpJson.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{id}/deliveries/{delivery}/replay");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("disabled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        receiver.Status = 200;
        await HttpJson.SendAsync(client, HttpMethod.Patch, $"/v1/webhooks/{id}", new { status = "enabled" });
        await Eventually.Until(() => Hooks.GetAsync(client, $"/v1/webhooks/{id}/deliveries"),
            d => d.GetProperty("data")[0].GetProperty("status").GetString() == "delivered", Hooks.Deadline, "the waiting delivery sent");
        var (replayed, _) = await HttpJson.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{id}/deliveries/{delivery}/replay");
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count(r => r.Answered == 200)), n => n == 2, Hooks.Deadline, "the replay accepted");
        Assert.Equal([delivery], receiver.Requests.Select(r => r.Header("webhook-id")).Distinct());
        var (missing, _) = await HttpJson.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{id}/deliveries/msg_nope/replay");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var history = (await Hooks.GetAsync(client, $"/v1/webhooks/{id}/history")).GetProperty("data");
        Assert.Equal([("webhook.enabled", false), ("webhook.disabled", true)], history.EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("automatic").GetBoolean())));
    }

    [Fact]
    public async Task A_run_of_consecutive_failures_long_enough_disables_the_endpoint_with_the_reason_recorded()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Status = 503;
        var (client, organizationId) = await Hooks.OrganizationAsync(cluster);
        using var _ = client;
        var id = await Hooks.CreateAsync(client, receiver.Url, "*");
        for (var i = 0; i < 3; i++)
        {
            await HttpJson.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{id}/test");
        }

        // The cluster disables after 5 failures spanning 15 s: the count is reached quickly, the span decides.
        var webhook = await Eventually.Until(() => Hooks.GetAsync(client, $"/v1/webhooks/{id}"), w => w.GetProperty("status").GetString() == "disabled", Hooks.Deadline, "disabled");
        var health = webhook.GetProperty("health");
        Assert.True(health.GetProperty("consecutive_failures").GetInt32() >= 5);
        Assert.True(health.GetProperty("disabled_at").GetDateTimeOffset() - health.GetProperty("failing_since").GetDateTimeOffset() >= TimeSpan.FromSeconds(15));
        Assert.Contains("HTTP 503", health.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        await AssertDisabledRecordAsync(client, organizationId, id, "consecutive failed attempts");
    }

    [Fact]
    public async Task A_slow_endpoint_keeps_to_its_concurrency_limit_and_does_not_starve_a_fast_one()
    {
        await using var slow = await Receiver.StartAsync();
        await using var fast = await Receiver.StartAsync();
        slow.Delay = TimeSpan.FromSeconds(1);
        var (client, organizationId) = await Hooks.OrganizationAsync(cluster);
        using var _ = client;
        await Hooks.CreateAsync(client, slow.Url, "*");
        await Hooks.CreateAsync(client, fast.Url, "*");

        await cluster.PublishAsync(Topics.DomainEvents, Enumerable.Range(0, 40).Select(i => Hooks.Domain(organizationId, $"dom_{i}", "domain.updated")));

        // 40 held for a second each, 8 at a time (the default limit), take the slow one at least 5 s; the fast one is done long before.
        await Eventually.Until(() => Task.FromResult(Hooks.Accepted(fast)), n => n == 40, Hooks.Deadline, "every event at the fast endpoint");
        Assert.True(Hooks.Accepted(slow) < 40, $"the slow endpoint had all {Hooks.Accepted(slow)} before the fast one finished");
        await Eventually.Until(() => Task.FromResult(Hooks.Accepted(slow)), n => n == 40, Hooks.Deadline, "every event at the slow endpoint");
        Assert.InRange(slow.MaxInFlight, 1, 8);
    }

    [Fact]
    public async Task Killed_mid_delivery_WebhookService_loses_nothing_and_events_published_again_add_no_delivery()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(700);
        var (client, organizationId) = await Hooks.OrganizationAsync(cluster);
        using var _ = client;
        var id = await Hooks.CreateAsync(client, receiver.Url, "*");
        var ids = await cluster.PublishAsync(Topics.DomainEvents, Enumerable.Range(0, 20).Select(i => Hooks.Domain(organizationId, $"dom_{i}", "domain.created")));
        await Eventually.Until(() => Task.FromResult(receiver.InFlight), n => n > 0, Hooks.Deadline, "attempts in flight");

        await cluster.CrashAndRestartAsync("WebhookService");

        // The receiver answers what was in flight even though nobody is left to hear it: the stored outcome is what counts.
        await Eventually.Until(() => cluster.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = @id AND status = 'delivered'", ("id", id)),
            n => n == 20, Hooks.Deadline, "every delivery recorded as delivered after the restart");
        Assert.Equal(20, Hooks.Accepted(receiver));
        // At least once: only what was in flight when the process died (at most the endpoint's 8 slots) may arrive twice, with the same webhook-id.
        var twice = receiver.Requests.GroupBy(r => r.Header("webhook-id")).Count(g => g.Count() > 1);
        Assert.InRange(twice, 0, 8);
        var before = receiver.Requests.Count;

        await cluster.RepublishAsync(ids);
        // Published after the 20 again: once it has arrived, they have been through the fan-out too.
        await cluster.PublishAsync(Topics.DomainEvents, [Hooks.Domain(organizationId, "dom_sentinel", "domain.created")]);
        await Eventually.Until(() => Task.FromResult(Hooks.Accepted(receiver)), n => n == 21, Hooks.Deadline, "the sentinel");
        Assert.Equal(before + 1, receiver.Requests.Count);
        Assert.Equal(21, await cluster.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = @id", ("id", id)));
    }

    private async Task AssertDisabledRecordAsync(HttpClient client, string organizationId, string id, string reason)
    {
        var entry = (await Hooks.GetAsync(client, $"/v1/webhooks/{id}/history")).GetProperty("data")[0];
        Assert.Equal(("webhook.disabled", true), (entry.GetProperty("type").GetString(), entry.GetProperty("automatic").GetBoolean()));
        Assert.Contains(reason, entry.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await cluster.CountAsync("""
            SELECT count(*) FROM outbox_messages WHERE topic = @topic AND type = 'send.webhook.status_changed.v1'
            AND payload->>'webhook_id' = @id AND payload->>'organization_id' = @org AND payload->>'event' = 'webhook.disabled' AND (payload->>'automatic')::boolean
            """, ("topic", Topics.WebhookEvents), ("id", id), ("org", organizationId)));
    }
}
