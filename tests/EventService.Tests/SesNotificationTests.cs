using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Send.EventService.Tests;

/// <summary>
/// SES notifications from AWS's documentation, wrapped in SNS envelopes signed under a test
/// authority, posted through the Gateway without an API key as SNS would, and read back from
/// EventService's outbox.
/// </summary>
[Collection(EventClusterDefinition.Name)]
public sealed class SesNotificationTests(EventCluster cluster)
{
    private const string EmailId = "send_01jdz7k3m9q2w8e4r6t1y5u0ab";
    private const string SesMessageId = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000";

    [Theory]
    [InlineData("ses-bounce.json", 1, "bounced", "recipient@example.com", "2017-08-05T00:41:02.669Z",
        "bounce_type=Permanent|bounce_subtype=General|status=5.1.1|diagnostic_code=smtp; 550 5.1.1 user unknown")]
    [InlineData("ses-complaint.json", 2, "complained", "recipient@example.com", "2017-08-05T00:41:02.669Z",
        "complaint_feedback_type=abuse|user_agent=Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.90 Safari/537.36")]
    [InlineData("ses-delivery.json", 1, "delivered", "recipient@example.com", "2016-10-19T23:21:04.133Z", "diagnostic_code=250 2.6.0 Message received")]
    [InlineData("ses-delivery-delay.json", 2, "delivery_delayed", "recipient@example.com", "2020-06-16T00:25:40.095Z",
        "delay_type=TransientCommunicationFailure|status=4.4.1|diagnostic_code=smtp; 421 4.4.1 Unable to connect to remote host")]
    [InlineData("ses-reject.json", 1, "rejected", "sender@example.com", "2016-10-14T17:38:15.211Z", "reason=Bad content")]
    [InlineData("ses-rendering-failure.json", 2, "failed", "recipient@example.com", "2018-01-22T18:43:06.197Z",
        "reason=Attribute 'attributeName' is not present in the rendering data.")]
    [InlineData("ses-open.json", 1, "opened", "recipient@example.com", "2017-08-09T22:00:19.652Z",
        "ip_address=192.0.2.1|user_agent=Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_3 like Mac OS X) AppleWebKit/603.3.8 (KHTML, like Gecko) Mobile/14G60")]
    [InlineData("ses-click.json", 2, "clicked", "recipient@example.com", "2017-08-09T23:51:25.570Z",
        "link=http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html|ip_address=192.0.2.1|user_agent=Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.90 Safari/537.36")]
    public async Task An_SES_event_from_AWS_docs_is_published_once_per_recipient_with_Sends_email_id(
        string sample, int signatureVersion, string kind, string recipient, string occurredAt, string details)
    {
        var notificationId = Callbacks.NewId("sns");
        using var response = await PostAsync(Signed(SnsEnvelope.Notification(Callbacks.Sample(sample), notificationId), signatureVersion));
        Assert.Equal(1, await Callbacks.AcceptedAsync(response));

        var published = Assert.Single(await cluster.PublishedAsync(notificationId));
        Assert.Equal("ses", published.Text("provider"));
        Assert.Equal(kind, published.Text("kind"));
        Assert.Equal(recipient, published.Text("recipient"));
        Assert.Equal(EmailId, published.Text("email_id"));
        Assert.Equal(SesMessageId, published.Text("provider_message_id"));
        Assert.Equal(notificationId, published.Text("provider_event_id"));
        Assert.Equal(DateTimeOffset.Parse(occurredAt, System.Globalization.CultureInfo.InvariantCulture), published.GetProperty("occurred_at").GetDateTimeOffset());
        var expected = details.Split('|').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(expected, published.Details());
    }

    [Fact]
    public async Task An_identity_bounce_for_two_recipients_is_two_events_told_apart_by_recipient()
    {
        var notificationId = Callbacks.NewId("sns");
        using var response = await PostAsync(Signed(SnsEnvelope.Notification(Callbacks.Sample("ses-identity-bounce-two-recipients.json"), notificationId)));
        Assert.Equal(2, await Callbacks.AcceptedAsync(response));

        var published = await cluster.PublishedAsync(notificationId);
        Assert.Equal(["jane@example.com", "richard@example.com"], published.Select(p => p.Text("recipient")));
        Assert.Equal([$"{notificationId}:jane@example.com", $"{notificationId}:richard@example.com"], published.Select(p => p.Text("provider_event_id")));
        Assert.All(published, p =>
        {
            Assert.Equal("bounced", p.Text("kind"));
            Assert.Equal("00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000", p.Text("provider_message_id"));
            // Identity notifications carry no tags and this one no VERP source: matched by provider message id only.
            Assert.Null(p.NullableText("email_id"));
            Assert.Equal("Permanent", p.Details()["bounce_type"]);
        });
    }

    [Fact]
    public async Task An_identity_complaint_finds_its_email_by_the_VERP_return_path()
    {
        var notificationId = Callbacks.NewId("sns");
        using var response = await PostAsync(Signed(SnsEnvelope.Notification(Callbacks.Sample("ses-identity-complaint.json"), notificationId), 1));
        Assert.Equal(1, await Callbacks.AcceptedAsync(response));

        var published = Assert.Single(await cluster.PublishedAsync(notificationId));
        Assert.Equal("complained", published.Text("kind"));
        Assert.Equal("richard@example.com", published.Text("recipient"));
        Assert.Equal(EmailId, published.Text("email_id"));
        Assert.Equal("abuse", published.Details()["complaint_feedback_type"]);
    }

    [Fact]
    public async Task A_Send_event_is_acknowledged_and_publishes_nothing()
    {
        var notificationId = Callbacks.NewId("sns");
        using var response = await PostAsync(Signed(SnsEnvelope.Notification(Callbacks.Sample("ses-send.json"), notificationId)));
        Assert.Equal(0, await Callbacks.AcceptedAsync(response));
        Assert.Empty(await cluster.PublishedAsync(notificationId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_message_changed_after_signing_is_refused_and_nothing_is_published(int signatureVersion)
    {
        var notificationId = Callbacks.NewId("sns");
        var body = JsonNode.Parse(Signed(SnsEnvelope.Notification(Callbacks.Sample("ses-bounce.json"), notificationId), signatureVersion))!;
        body["Message"] = body["Message"]!.GetValue<string>().Replace("recipient@example.com", "someone-else@example.com", StringComparison.Ordinal);
        var before = await cluster.PublishedCountAsync();

        using var response = await PostAsync(body.ToJsonString());
        await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        Assert.Empty(await cluster.PublishedAsync(notificationId));
        Assert.Equal(before, await cluster.PublishedCountAsync());
    }

    [Fact]
    public async Task A_message_signed_with_a_certificate_from_no_trusted_authority_is_refused()
    {
        using var impostor = TestCertificateAuthority.SelfSignedImpostor();
        var notificationId = Callbacks.NewId("sns");
        var url = cluster.Sns.Serve($"impostor-{Guid.NewGuid():N}.pem", impostor);
        using var response = await PostAsync(SnsEnvelope.Sign(SnsEnvelope.Notification(Callbacks.Sample("ses-bounce.json"), notificationId), impostor, url));

        var detail = await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        Assert.Contains("trusted root", detail, StringComparison.Ordinal);
        Assert.Empty(await cluster.PublishedAsync(notificationId));
    }

    [Theory]
    [InlineData("https://sns.us-east-1.amazonaws.com.attacker.example/cert.pem")]
    [InlineData("https://attacker.example/cert.pem")]
    [InlineData("http://{authority}/certificates/signing.pem")]
    [InlineData("https://{host}:1/certificates/signing.pem")]
    public async Task A_signing_certificate_url_that_is_not_https_on_an_allowed_host_is_refused_before_any_fetch(string url)
    {
        var notificationId = Callbacks.NewId("sns");
        url = url.Replace("{authority}", cluster.Sns.Authority, StringComparison.Ordinal)
            .Replace("{host}", cluster.Sns.Authority.Split(':')[0], StringComparison.Ordinal);
        using var response = await PostAsync(SnsEnvelope.Sign(SnsEnvelope.Notification(Callbacks.Sample("ses-bounce.json"), notificationId), cluster.Authority.Signing, url));

        var detail = await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        Assert.Contains("allowed SNS host", detail, StringComparison.Ordinal);
        Assert.Empty(await cluster.PublishedAsync(notificationId));
    }

    [Fact]
    public async Task A_message_from_a_topic_not_on_the_allowlist_is_refused()
    {
        var notificationId = Callbacks.NewId("sns");
        var message = SnsEnvelope.Notification(Callbacks.Sample("ses-bounce.json"), notificationId);
        message["TopicArn"] = "arn:aws:sns:us-east-1:999999999999:someone-elses-topic";
        using var response = await PostAsync(Signed(message));

        await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "source_not_allowed");
        Assert.Empty(await cluster.PublishedAsync(notificationId));
    }

    [Fact]
    public async Task A_subscription_confirmation_is_verified_and_its_SubscribeURL_visited()
    {
        var token = Callbacks.NewId("token");
        var message = SnsEnvelope.SubscriptionConfirmation(Callbacks.NewId("sns"), token, cluster.Sns.SubscribeUrl(SnsEnvelope.TopicArn, token));
        using var response = await PostAsync(Signed(message), "SubscriptionConfirmation");

        Assert.Equal(0, await Callbacks.AcceptedAsync(response));
        Assert.Contains(token, cluster.Sns.Confirmed);
    }

    [Fact]
    public async Task A_subscription_confirmation_with_a_forged_signature_is_not_visited()
    {
        var token = Callbacks.NewId("token");
        var message = SnsEnvelope.SubscriptionConfirmation(Callbacks.NewId("sns"), token, cluster.Sns.SubscribeUrl(SnsEnvelope.TopicArn, token));
        var body = JsonNode.Parse(Signed(message))!;
        body["Token"] = "another-token";
        using var response = await PostAsync(body.ToJsonString(), "SubscriptionConfirmation");

        await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        Assert.DoesNotContain(token, cluster.Sns.Confirmed);
    }

    [Theory]
    [InlineData("not json at all", 400, "invalid_payload")]
    [InlineData("[1, 2]", 400, "invalid_payload")]
    [InlineData("{\"Type\": \"Notification\"}", 400, "invalid_payload")]
    [InlineData("{\"Type\": \"SomethingElse\"}", 422, "unsupported_event")]
    public async Task A_body_that_is_not_an_SNS_message_is_a_clear_problem(string body, int status, string name)
    {
        using var response = await PostAsync(body);
        await Callbacks.RefusedAsync(response, (HttpStatusCode)status, name);
    }

    [Fact]
    public async Task A_body_larger_than_any_SNS_message_is_refused_unread()
    {
        using var response = await PostAsync(new string('x', 2 * 1024 * 1024));
        await Callbacks.RefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "validation_error");
    }

    [Fact]
    public async Task A_signed_notification_that_is_not_an_SES_record_Send_knows_is_unprocessable()
    {
        var notificationId = Callbacks.NewId("sns");
        var record = JsonSerializer.Serialize(new { eventType = "Teleport", mail = new { messageId = "x", destination = new[] { "a@example.com" } } });
        using var response = await PostAsync(Signed(SnsEnvelope.Notification(record, notificationId)));

        await Callbacks.RefusedAsync(response, HttpStatusCode.UnprocessableEntity, "unsupported_event");
        Assert.Empty(await cluster.PublishedAsync(notificationId));
    }

    [Fact]
    public async Task An_SES_bounce_for_a_sent_email_reaches_its_timeline_the_suppression_list_and_analytics_once_however_often_SNS_posts_it()
    {
        // A real email (sent with a test key, so through the sandbox), then SES's bounce sample rewritten to name it.
        using var admin = cluster.CreateAuthenticatedClient();
        var (_, key) = await Send.TestSupport.HttpJson.SendAsync(admin, HttpMethod.Post, "/v1/api-keys", new { name = "ses-e2e", permission = "full_access", environment = "test" });
        using var api = cluster.CreateAuthenticatedClient(key.GetProperty("token").GetString());
        var recipient = $"bounce-{Guid.NewGuid():N}@example.com";
        var (_, accepted) = await Send.TestSupport.HttpJson.SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "shop@acme.example", to = recipient, subject = "E2E", text = "hi" });
        var id = accepted.GetProperty("id").GetString()!;
        await Send.TestSupport.Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"), e => e.GetProperty("last_event").GetString() == "sent",
            TimeSpan.FromSeconds(60), "the email to be sent");

        var notification = SnsEnvelope.Notification(Callbacks.Sample("ses-bounce.json").Replace(EmailId, id, StringComparison.Ordinal)
            .Replace("recipient@example.com", recipient, StringComparison.Ordinal), Callbacks.NewId("sns"));
        var signed = Signed(notification);
        for (var i = 0; i < 3; i++)
        {
            using var response = await PostAsync(signed);
            Assert.Equal(1, await Callbacks.AcceptedAsync(response));
        }

        var email = await Send.TestSupport.Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"),
            e => e.GetProperty("last_event").GetString() == "bounced", TimeSpan.FromSeconds(60), "the bounce on the email");
        var suppression = await admin.GetFromJsonAsync<JsonElement>($"/v1/suppressions/{recipient}");
        Assert.Equal(("bounce", id, "smtp; 550 5.1.1 user unknown"),
            (suppression.GetProperty("reason").GetString(), suppression.GetProperty("source_email_id").GetString(), suppression.GetProperty("detail").GetString()));
        var events = await Send.TestSupport.Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/analytics/events?email_id={id}&type=bounced"),
            e => e.GetProperty("data").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "the bounce in analytics");

        // Three posts, one effect: one timeline step, one public event, and the next send to the address is refused.
        Assert.Single(email.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("status").GetString() == "bounced");
        Assert.Single(events.GetProperty("data").EnumerateArray());
        var (refused, _) = await Send.TestSupport.HttpJson.SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "shop@acme.example", to = recipient, subject = "Again", text = "hi" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
    }

    private string Signed(Dictionary<string, string> message, int version = 2) =>
        SnsEnvelope.Sign(message, cluster.Authority.Signing, cluster.Sns.Serve("SimpleNotificationService-test.pem", cluster.Authority.Signing), version);

    /// <summary>As SNS posts: text/plain JSON with its message-type header, no API key.</summary>
    private async Task<HttpResponseMessage> PostAsync(string body, string type = "Notification")
    {
        using var client = cluster.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/providers/ses", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("x-amz-sns-message-type", type);
        return await client.SendAsync(request);
    }
}
