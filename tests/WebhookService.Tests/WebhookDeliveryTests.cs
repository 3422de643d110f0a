using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>
/// Real deliveries from the whole platform to a receiver the test runs: emails sent with a test
/// key produce email.queued, email.sent and email.delivered, and the official
/// <c>standardwebhooks</c> package (tests/peers/webhook-verify.mjs) judges the signatures.
/// </summary>
[Collection(WebhookClusterDefinition.Name)]
public sealed class WebhookDeliveryTests(WebhookCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_delivery_verifies_with_the_standardwebhooks_and_svix_packages_under_both_header_names_and_a_tampered_body_does_not()
    {
        await using var receiver = await Receiver.StartAsync();
        using var admin = cluster.CreateAuthenticatedClient();
        var (created, webhook) = await HttpJson.SendAsync(admin, HttpMethod.Post, "/v1/webhooks", new { endpoint = receiver.Url, events = new[] { "email.delivered" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = webhook.GetProperty("signing_secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(("webhook", "enabled"), (webhook.GetProperty("object").GetString(), webhook.GetProperty("status").GetString()));

        var emailId = await SendEmailAsync(admin);
        var delivered = await Eventually.Until(() => Task.FromResult(For(receiver, emailId)), r => r.Count > 0, Deadline, "email.delivered at the receiver");
        var request = delivered.Single();
        using var payload = JsonDocument.Parse(request.Body);
        Assert.Equal("email.delivered", payload.RootElement.GetProperty("type").GetString());
        Assert.Equal("delivered@simulator.send.test", payload.RootElement.GetProperty("data").GetProperty("to")[0].GetString());
        Assert.Equal((request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature")),
            (request.Header("svix-id"), request.Header("svix-timestamp"), request.Header("svix-signature")));
        Assert.StartsWith("msg_", request.Header("webhook-id"), StringComparison.Ordinal);

        Assert.Equal("verified email.delivered", await VerifyAsync(secret, request, request.Body));
        Assert.StartsWith("refused", await VerifyAsync(secret, request, request.Body.Replace("delivered@", "attacker@", StringComparison.Ordinal)), StringComparison.Ordinal);
        // Code written for Resend verifies with the svix package, from the svix-* headers.
        Assert.Equal("verified email.delivered", await VerifyAsync(secret, request, request.Body, "svix"));
        Assert.StartsWith("refused", await VerifyAsync(secret, request, request.Body.Replace("delivered@", "attacker@", StringComparison.Ordinal), "svix"), StringComparison.Ordinal);

        // The filter held: queued and sent went elsewhere, not here (all three exist once delivered has arrived).
        Assert.All(For(receiver, emailId), r => Assert.Contains("\"email.delivered\"", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_test_event_after_a_rotation_is_signed_with_both_secrets_and_each_verifies()
    {
        await using var receiver = await Receiver.StartAsync();
        using var admin = cluster.CreateAuthenticatedClient();
        var (_, webhook) = await HttpJson.SendAsync(admin, HttpMethod.Post, "/v1/webhooks", new { url = receiver.Url, events = new[] { "domain.verified" } });
        var id = webhook.GetProperty("id").GetString()!;
        var oldSecret = webhook.GetProperty("signing_secret").GetString()!;
        var (_, rotated) = await HttpJson.SendAsync(admin, HttpMethod.Post, $"/v1/webhooks/{id}/rotate-secret");
        var newSecret = rotated.GetProperty("signing_secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        var (_, fetched) = await HttpJson.SendAsync(admin, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.False(fetched.TryGetProperty("signing_secret", out _));

        var (accepted, _) = await HttpJson.SendAsync(admin, HttpMethod.Post, $"/v1/webhooks/{id}/test");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n > 0, Deadline, "the test event");
        var request = receiver.Requests.Single();
        Assert.Equal(2, request.Header("webhook-signature").Split(' ').Length);
        Assert.Equal("verified webhook.test", await VerifyAsync(newSecret, request, request.Body));
        Assert.Equal("verified webhook.test", await VerifyAsync(oldSecret, request, request.Body));

        var deliveries = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/webhooks/{id}/deliveries"),
            d => d.GetProperty("data").GetArrayLength() == 1 && d.GetProperty("data")[0].GetProperty("status").GetString() == "delivered", Deadline, "the delivery settled");
        var attempt = deliveries.GetProperty("data")[0].GetProperty("attempt_log").EnumerateArray().Single();
        Assert.Equal(200, attempt.GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task While_the_receiver_is_down_deliveries_are_retried_and_once_it_is_up_every_event_arrives_once()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Status = 503;
        using var admin = cluster.CreateAuthenticatedClient();
        var (_, webhook) = await HttpJson.SendAsync(admin, HttpMethod.Post, "/v1/webhooks", new { endpoint = receiver.Url, events = new[] { "*" } });
        var id = webhook.GetProperty("id").GetString()!;
        var emails = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            emails.Add(await SendEmailAsync(admin));
        }

        // Down long enough that every one of the nine events was refused at least twice.
        await Eventually.Until(() => Task.FromResult(emails.SelectMany(e => For(receiver, e)).GroupBy(r => r.Header("webhook-id")).ToList()),
            groups => groups.Count == 9 && groups.All(g => g.Count() >= 2), Deadline, "every event refused twice");
        var (_, health) = await HttpJson.SendAsync(admin, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.True(health.GetProperty("health").GetProperty("consecutive_failures").GetInt32() >= 2);
        receiver.Status = 200;

        var accepted = await Eventually.Until(() => Task.FromResult(emails.SelectMany(e => For(receiver, e)).Where(r => r.Answered == 200).ToList()),
            a => a.Select(r => r.Header("webhook-id")).Distinct().Count() == 9, Deadline, "every event accepted");
        var byId = accepted.GroupBy(r => r.Header("webhook-id")).ToList();
        Assert.All(byId, g => Assert.Single(g));
        Assert.Equal(emails.Count * 3, byId.Count);
        Assert.All(emails, e => Assert.Equal(["email.delivered", "email.queued", "email.sent"],
            accepted.Where(r => r.Body.Contains(e, StringComparison.Ordinal)).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()).Order(StringComparer.Ordinal)));

        // The same id on every attempt of a delivery, and the endpoint healthy again.
        var (_, after) = await HttpJson.SendAsync(admin, HttpMethod.Get, $"/v1/webhooks/{id}");
        Assert.Equal(0, after.GetProperty("health").GetProperty("consecutive_failures").GetInt32());
        Assert.Equal("enabled", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_redirect_to_the_metadata_address_is_not_followed_and_the_attempt_says_so()
    {
        await using var receiver = await Receiver.StartAsync();
        receiver.Status = 302;
        receiver.Location = "http://169.254.169.254/latest/meta-data/";
        var (client, _) = await Hooks.OrganizationAsync(cluster);
        using var _ = client;
        var id = await Hooks.CreateAsync(client, receiver.Url, "*");
        await HttpJson.SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{id}/test");

        var deliveries = await Eventually.Until(() => Hooks.GetAsync(client, $"/v1/webhooks/{id}/deliveries"),
            d => d.GetProperty("data")[0].GetProperty("attempt_log").GetArrayLength() > 0, Deadline, "the first attempt");
        var attempt = deliveries.GetProperty("data")[0].GetProperty("attempt_log")[0];
        Assert.Equal(302, attempt.GetProperty("status_code").GetInt32());
        Assert.Equal("redirect not followed: 302 to http://169.254.169.254/latest/meta-data/", attempt.GetProperty("error").GetString());
        Assert.Equal("pending", deliveries.GetProperty("data")[0].GetProperty("status").GetString());
        await HttpJson.SendAsync(client, HttpMethod.Delete, $"/v1/webhooks/{id}");
    }

    private async Task<string> SendEmailAsync(HttpClient admin)
    {
        var (_, key) = await HttpJson.SendAsync(admin, HttpMethod.Post, "/v1/api-keys", new { name = "webhooks", permission = "full_access", environment = "test" });
        using var api = cluster.CreateAuthenticatedClient(key.GetProperty("token").GetString());
        var (response, accepted) = await HttpJson.SendAsync(api, HttpMethod.Post, "/v1/emails",
            new { from = "shop@acme.example", to = "delivered@simulator.send.test", subject = "Webhooks " + Guid.NewGuid().ToString("N"), text = "hi" });
        Assert.True(response.IsSuccessStatusCode, accepted.ToString());
        return accepted.GetProperty("id").GetString()!;
    }

    private static List<Received> For(Receiver receiver, string emailId) => [.. receiver.Requests.Where(r => r.Body.Contains(emailId, StringComparison.Ordinal))];

    /// <summary>Judged by the npm package <paramref name="peer"/> (<c>standardwebhooks</c> from the webhook-* headers, or <c>svix</c> from the svix-* ones).</summary>
    internal static async Task<string> VerifyAsync(string secret, Received request, string body, string peer = "standardwebhooks")
    {
        var prefix = peer == "svix" ? "svix" : "webhook";
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, body);
            using var node = new ExternalProcess(peer, "node",
                [Path.Combine(Repository.Root, "tests", "peers", peer == "svix" ? "svix-verify.mjs" : "webhook-verify.mjs"), secret,
                    request.Header($"{prefix}-id"), request.Header($"{prefix}-timestamp"), request.Header($"{prefix}-signature"), file]);
            await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
            return node.Output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("verified", StringComparison.Ordinal) || l.StartsWith("refused", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
