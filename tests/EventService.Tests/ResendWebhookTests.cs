using System.Net;
using System.Text;
using Send.TestSupport;

namespace Send.EventService.Tests;

/// <summary>
/// Resend webhooks signed by the official <c>svix</c> package (tests/peers/svix-sign.mjs), posted
/// through the Gateway without an API key, verified by EventService.
/// </summary>
[Collection(EventClusterDefinition.Name)]
public sealed class ResendWebhookTests(EventCluster cluster)
{
    private const string EmailId = "send_01jdz7k3m9q2w8e4r6t1y5u0ab";
    private const string ResendEmailId = "4ef9a417-02e9-4d39-ad75-9611e0fcc33c";

    [Fact]
    public async Task A_bounce_signed_by_svix_is_published_with_Sends_email_id_and_the_bounce()
    {
        var webhookId = Callbacks.NewId("msg");
        var body = Callbacks.Sample("resend-email-bounced.json");
        var now = Now();
        var signature = await SvixSignAsync(webhookId, now, body);
        // During a secret rotation Resend sends several signatures; one that verifies is enough,
        // wherever it stands (StandardWebhooks alone never tries the last one).
        using var response = await PostAsync(body, webhookId, now, $"v1,bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ== {signature}");
        Assert.Equal(1, await Callbacks.AcceptedAsync(response));

        var published = Assert.Single(await cluster.PublishedAsync(webhookId));
        Assert.Equal("resend", published.Text("provider"));
        Assert.Equal("bounced", published.Text("kind"));
        Assert.Equal("delivered@example.com", published.Text("recipient"));
        Assert.Equal(EmailId, published.Text("email_id"));
        Assert.Equal(ResendEmailId, published.Text("provider_message_id"));
        Assert.Equal(webhookId, published.Text("provider_event_id"));
        var details = published.Details();
        Assert.Equal("Permanent", details["bounce_type"]);
        Assert.Equal("Suppressed", details["bounce_subtype"]);
        Assert.StartsWith("The recipient's email address is on the suppression list", details["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_click_keeps_its_link_and_a_delivery_to_two_recipients_is_two_events()
    {
        var clickId = Callbacks.NewId("msg");
        var click = Callbacks.Sample("resend-email-clicked.json");
        var now = Now();
        using (var response = await PostAsync(click, clickId, now, await SvixSignAsync(clickId, now, click)))
        {
            Assert.Equal(1, await Callbacks.AcceptedAsync(response));
        }

        var clicked = Assert.Single(await cluster.PublishedAsync(clickId));
        Assert.Equal("clicked", clicked.Text("kind"));
        Assert.Equal("https://resend.com", clicked.Details()["link"]);
        Assert.Equal("122.115.53.11", clicked.Details()["ip_address"]);
        Assert.Equal(DateTimeOffset.Parse("2024-11-24T05:00:57.163Z", System.Globalization.CultureInfo.InvariantCulture), clicked.GetProperty("occurred_at").GetDateTimeOffset());

        var deliveryId = Callbacks.NewId("msg");
        var delivery = Callbacks.Sample("resend-email-delivered.json");
        using (var response = await PostAsync(delivery, deliveryId, now, await SvixSignAsync(deliveryId, now, delivery)))
        {
            Assert.Equal(2, await Callbacks.AcceptedAsync(response));
        }

        var delivered = await cluster.PublishedAsync(deliveryId);
        Assert.Equal([$"{deliveryId}:first@example.com", $"{deliveryId}:second@example.com"], delivered.Select(d => d.Text("provider_event_id")));
        Assert.All(delivered, d => Assert.Equal("delivered", d.Text("kind")));
    }

    [Fact]
    public async Task Email_sent_is_acknowledged_and_publishes_nothing()
    {
        var webhookId = Callbacks.NewId("msg");
        var body = Callbacks.Sample("resend-email-sent.json");
        var now = Now();
        using var response = await PostAsync(body, webhookId, now, await SvixSignAsync(webhookId, now, body));
        Assert.Equal(0, await Callbacks.AcceptedAsync(response));
        Assert.Empty(await cluster.PublishedAsync(webhookId));
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused_and_nothing_is_published()
    {
        var webhookId = Callbacks.NewId("msg");
        var body = Callbacks.Sample("resend-email-bounced.json");
        var now = Now();
        var signature = await SvixSignAsync(webhookId, now, body);
        var before = await cluster.PublishedCountAsync();

        using var response = await PostAsync(body.Replace("delivered@example.com", "victim@example.com", StringComparison.Ordinal), webhookId, now, signature);
        await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        Assert.Equal(before, await cluster.PublishedCountAsync());
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_or_too_long_ago_is_refused()
    {
        var body = Callbacks.Sample("resend-email-bounced.json");

        var otherId = Callbacks.NewId("msg");
        var now = Now();
        var other = await SvixSignAsync(otherId, now, body, "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("a different secret, 32 bytes long")));
        using (var response = await PostAsync(body, otherId, now, other))
        {
            await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        }

        var oldId = Callbacks.NewId("msg");
        var then = now - 600;
        using (var response = await PostAsync(body, oldId, then, await SvixSignAsync(oldId, then, body)))
        {
            var detail = await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
            Assert.Contains("too old", detail, StringComparison.Ordinal);
        }

        using (var response = await PostAsync(body, Callbacks.NewId("msg"), null, null))
        {
            await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        }

        Assert.Empty(await cluster.PublishedAsync(otherId));
        Assert.Empty(await cluster.PublishedAsync(oldId));
    }

    [Fact]
    public async Task A_signed_event_type_Send_does_not_know_is_unprocessable()
    {
        var webhookId = Callbacks.NewId("msg");
        var body = """{"type":"email.teleported","created_at":"2024-11-22T23:41:12.126Z","data":{"email_id":"x","to":["a@example.com"]}}""";
        var now = Now();
        using var response = await PostAsync(body, webhookId, now, await SvixSignAsync(webhookId, now, body));
        await Callbacks.RefusedAsync(response, HttpStatusCode.UnprocessableEntity, "unsupported_event");
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private async Task<HttpResponseMessage> PostAsync(string body, string id, long? timestamp, string? signature)
    {
        using var client = cluster.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/providers/resend", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("svix-id", id);
        if (timestamp is not null)
        {
            request.Headers.Add("svix-timestamp", timestamp.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (signature is not null)
        {
            request.Headers.Add("svix-signature", signature);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string> SvixSignAsync(string id, long timestamp, string body, string secret = EventCluster.ResendSecret)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, body);
            using var node = new ExternalProcess("svix", "node",
                [Path.Combine(Repository.Root, "tests", "peers", "svix-sign.mjs"), secret, id, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), file]);
            var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(exit == 0, node.Output);
            return node.Output.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("v1,", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
