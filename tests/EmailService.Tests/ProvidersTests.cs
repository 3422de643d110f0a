using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Send.TestSupport;

namespace Send.EmailService.Tests;

/// <summary>
/// The provider chain with real peers: SES first (aws-ses-v2-local), failing over to SMTP when
/// SES is down, its circuit opening; an organization routed to Resend, where a permanent
/// rejection fails the email at once without failover; and no credential in any log.
/// </summary>
public sealed class ProvidersTests(ProvidersCluster cluster) : IClassFixture<ProvidersCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Mail_goes_out_through_SES_and_fails_over_to_SMTP_while_SES_is_down()
    {
        await cluster.AddDomainAsync("chain.test");
        using var api = cluster.CreateAuthenticatedClient();
        using var http = new HttpClient();

        var viaSes = await SendAsync(api, "chain.test", $"Via SES {Guid.NewGuid():N}");
        var sesEmail = await SentAsync(api, viaSes.Id);
        Assert.True(Timeline(sesEmail).Last().Detail.StartsWith("ses: ", StringComparison.Ordinal), sesEmail.GetProperty("timeline").ToString());
        var store = await http.GetFromJsonAsync<JsonElement>(cluster.SesStore);
        Assert.Contains(store.GetProperty("emails").EnumerateArray(), e => e.GetProperty("subject").GetString() == viaSes.Subject);
        Assert.DoesNotContain(await cluster.Mail.MessagesAsync(), m => m.Subject == viaSes.Subject);

        // What went over the wire: SigV4 for ses in the configured region, the configuration set, Send's tags.
        var wire = cluster.SesWire.Requests.Single(r => r.PathAndQuery == "/v2/email/outbound-emails"
            && System.Text.Encoding.UTF8.GetString(r.Body).Contains(viaSes.Id, StringComparison.Ordinal));
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDSENDTEST/\d{8}/eu-west-1/ses/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$",
            wire.Headers["Authorization"]);
        var sent = JsonDocument.Parse(wire.Body).RootElement;
        Assert.Equal("send-events", sent.GetProperty("ConfigurationSetName").GetString());
        Assert.Equal([$"send_email_id={viaSes.Id}", $"send_organization={await cluster.OrganizationIdAsync()}"],
            sent.GetProperty("EmailTags").EnumerateArray().Select(t => $"{t.GetProperty("Name")}={t.GetProperty("Value")}"));
        Assert.Equal(["buyer@example.com", "bcc@example.com"], sent.GetProperty("Destination").GetProperty("ToAddresses").EnumerateArray().Select(a => a.GetString()));

        cluster.StopSes();
        try
        {
            var failedOver = new List<(string Id, string Subject)>();
            for (var i = 0; i < 5; i++)
            {
                failedOver.Add(await SendAsync(api, "chain.test", $"Failover {i} {Guid.NewGuid():N}"));
            }

            foreach (var (id, subject) in failedOver)
            {
                var email = await SentAsync(api, id);
                var steps = Timeline(email);
                Assert.Equal("attempt_failed", steps[^2].Status);
                Assert.StartsWith("ses: ", steps[^2].Detail, StringComparison.Ordinal);
                Assert.StartsWith("smtp: ", steps[^1].Detail, StringComparison.Ordinal);
                await Eventually.Until(cluster.Mail.MessagesAsync, m => m.Any(x => x.Subject == subject), Patience, "the failed-over message at the SMTP server");
            }

            // After 3 failures in its sampling window the SES circuit is open: later emails skip it.
            var skipped = await SentAsync(api, (await SendAsync(api, "chain.test", $"Circuit open {Guid.NewGuid():N}")).Id);
            Assert.Contains("circuit open", Timeline(skipped)[^2].Detail, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.StartSesAsync();
        }

        AssertNoCredentialLogged();
    }

    [Fact]
    public async Task An_organization_routed_to_Resend_sends_there_and_a_permanent_rejection_fails_at_once_without_failover()
    {
        var token = await cluster.RoutedOrganizationKeyAsync();
        await cluster.AddDomainAsync("routed.test", organizationId: ProvidersCluster.ResendRoutedOrganization);
        using var api = cluster.CreateAuthenticatedClient(token);

        var accepted = await SendAsync(api, "routed.test", $"Via Resend {Guid.NewGuid():N}", attachment: true);
        var email = await SentAsync(api, accepted.Id);
        Assert.StartsWith("resend: ", Timeline(email).Last().Detail, StringComparison.Ordinal);
        var (body, idempotencyKey) = Assert.Single(cluster.Resend.Received, r => r.Body.GetProperty("subject").GetString() == accepted.Subject);
        Assert.Equal(accepted.Id, idempotencyKey);
        Assert.Equal(["bcc@example.com"], body.GetProperty("bcc").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal("spring", body.GetProperty("headers").GetProperty("X-Campaign").GetString());
        Assert.Equal("terms.pdf", body.GetProperty("attachments")[0].GetProperty("filename").GetString());
        Assert.Empty(cluster.Resend.Problems);

        var rejected = await SendAsync(api, "routed.test", "rejected");
        var failed = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{rejected.Id}"),
            e => e.GetProperty("last_event").GetString() is "failed" or "sent", Patience, "the rejected email to settle");
        Assert.Equal("failed", failed.GetProperty("last_event").GetString());
        Assert.Contains("Resend 422 validation_error", Timeline(failed).Last().Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Timeline(failed), t => t.Status == "attempt_failed");
        Assert.DoesNotContain(await cluster.Mail.MessagesAsync(), m => m.Subject == "rejected");

        AssertNoCredentialLogged();
    }

    [Fact]
    public async Task A_send_the_transport_stopped_waiting_for_is_still_recorded_once_and_not_sent_again()
    {
        var token = await cluster.RoutedOrganizationKeyAsync();
        await cluster.AddDomainAsync("slow-routed.test", organizationId: ProvidersCluster.ResendRoutedOrganization);
        using var api = cluster.CreateAuthenticatedClient(token);

        // Resend answers after 7 s; the transport gives up on the handler after 5 s and aborts
        // its request. The accepted send must still be settled by the lease's own clock. Before
        // that was so, the email stayed "sending", was requeued after its lease and sent twice.
        var slow = await SendAsync(api, "slow-routed.test", $"slow {Guid.NewGuid():N}");
        var email = await SentAsync(api, slow.Id);

        Assert.Single(cluster.Resend.Received, r => r.Body.GetProperty("subject").GetString() == slow.Subject);
        Assert.Equal(["queued", "sent"], Timeline(email).Select(t => t.Status));
    }

    [Fact]
    public async Task A_throttled_send_with_nowhere_to_fail_over_is_retried_later_not_failed()
    {
        await cluster.AddDomainAsync("throttled.test", organizationId: ProvidersCluster.ResendOnlyOrganization);
        using var api = cluster.CreateAuthenticatedClient(await cluster.ResendOnlyOrganizationKeyAsync());

        var throttled = await SendAsync(api, "throttled.test", $"throttled once {Guid.NewGuid():N}");
        var email = await SentAsync(api, throttled.Id);

        var steps = Timeline(email);
        Assert.Equal(["queued", "attempt_failed", "sent"], steps.Select(t => t.Status));
        Assert.Contains("429 rate_limit_exceeded", steps[1].Detail, StringComparison.Ordinal);
        Assert.Equal(2, cluster.Resend.Received.Count(r => r.Body.GetProperty("subject").GetString() == throttled.Subject));
        Assert.All(cluster.Resend.Received.Where(r => r.Body.GetProperty("subject").GetString() == throttled.Subject), r => Assert.Equal(throttled.Id, r.IdempotencyKey));
    }

    [Fact]
    public async Task Emails_delivered_in_one_chunk_each_settle_on_their_own_outcome()
    {
        await cluster.AddDomainAsync("mixed.test", organizationId: ProvidersCluster.ResendOnlyOrganization);
        using var api = cluster.CreateAuthenticatedClient(await cluster.ResendOnlyOrganizationKeyAsync());

        // One batch is queued together, so the worker takes its emails in one bulk delivery:
        // one lease, one load, one settling transaction for accepted, rejected and throttled alike.
        var run = Guid.NewGuid().ToString("N");
        string[] subjects = [.. Enumerable.Range(0, 3).SelectMany(i => new[] { $"fine {run} {i}", "rejected", $"throttled once {run} {i}" })];
        using var response = await api.PostAsJsonAsync("/v1/emails/batch",
            subjects.Select(subject => new { from = "shop@mixed.test", to = "buyer@example.com", subject, text = "hi" }));
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, batch.ToString());
        var ids = batch.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

        var settled = await Task.WhenAll(ids.Select(id => Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"),
            e => e.GetProperty("last_event").GetString() is "failed" or "sent", Patience, $"email {id} to settle")));
        for (var i = 0; i < subjects.Length; i++)
        {
            var steps = Timeline(settled[i]).Select(t => t.Status).ToList();
            switch (i % 3)
            {
                case 0:
                    Assert.Equal(["queued", "sent"], steps);
                    break;
                case 1:
                    Assert.Equal(["queued", "failed"], steps);
                    Assert.Contains("Resend 422 validation_error", Timeline(settled[i]).Last().Detail, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Equal(["queued", "attempt_failed", "sent"], steps);
                    break;
            }
        }

        // Each email announces its outcome once, and was handed to Resend once per attempt.
        var idList = string.Join(",", ids.Select(id => $"'{id}'"));
        Assert.Equal(9L, await cluster.CountAsync(
            $"SELECT count(*) FROM outbox_messages WHERE payload->>'email_id' IN ({idList}) AND payload->>'event' IN ('email.sent', 'email.failed')"));
        Assert.Equal(3L, await cluster.CountAsync($"SELECT count(*) FROM emails WHERE id IN ({idList}) AND status = 'failed' AND sent_at IS NULL AND lease_owner IS NULL"));
        Assert.Equal(6L, await cluster.CountAsync(
            $"SELECT count(*) FROM emails WHERE id IN ({idList}) AND status = 'sent' AND sent_at IS NOT NULL AND provider = 'resend' AND provider_message_id IS NOT NULL AND lease_owner IS NULL"));
        Assert.All(subjects.Where(s => s.StartsWith("throttled", StringComparison.Ordinal)),
            subject => Assert.Equal(2, cluster.Resend.Received.Count(r => r.Body.GetProperty("subject").GetString() == subject)));
    }

    [Fact]
    public async Task With_SES_a_domain_can_verify_with_SES_Easy_DKIM_CNAMEs_instead_of_Send_DKIM_record()
    {
        using var api = cluster.CreateAuthenticatedClient();

        // SES unavailable when the domain is added: the domain is still created, with Send's own records.
        cluster.SesIdentities.Failing = (503, "ServiceUnavailableException");
        var (_, created) = await HttpJson.SendAsync(api, HttpMethod.Post, "/v1/domains", new { name = "easy-dkim.test" });
        var id = created.GetProperty("id").GetString()!;
        Assert.DoesNotContain(created.GetProperty("records").EnumerateArray(), r => r.GetProperty("type").GetString() == "CNAME");

        // The next check asks SES again and adds its three CNAMEs as the alternative to the DKIM TXT.
        cluster.SesIdentities.Failing = null;
        var (_, checkedOnce) = await HttpJson.SendAsync(api, HttpMethod.Post, $"/v1/domains/{id}/verify");
        var tokens = cluster.SesIdentities.TokensOf("easy-dkim.test");
        var cnames = checkedOnce.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("type").GetString() == "CNAME").ToList();
        Assert.Equal(tokens.Select(t => $"DKIM {t}._domainkey.easy-dkim.test -> {t}.dkim.amazonses.test (instead of DKIM)"),
            cnames.Select(r => $"{r.GetProperty("record")} {r.GetProperty("full_name")} -> {r.GetProperty("value")} (instead of {r.GetProperty("alternative_to")})"));

        // Publish SPF and the three CNAMEs, not Send's DKIM TXT: verified, and nothing required is missing.
        var spf = checkedOnce.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("record").GetString() == "SPF").ToList();
        var dns = new List<TestDnsRecord>
        {
            TestDnsRecord.Mx("send.easy-dkim.test", spf.Single(r => r.GetProperty("type").GetString() == "MX").GetProperty("value").GetString()!),
            TestDnsRecord.Txt("send.easy-dkim.test", spf.Single(r => r.GetProperty("type").GetString() == "TXT").GetProperty("value").GetString()!),
        };
        dns.AddRange(tokens.Select(t => TestDnsRecord.Cname($"{t}._domainkey.easy-dkim.test", $"{t}.dkim.amazonses.test")));
        await cluster.Dns.PublishAsync(dns);
        var (_, verified) = await HttpJson.SendAsync(api, HttpMethod.Post, $"/v1/domains/{id}/verify");
        Assert.True(verified.GetProperty("status").GetString() == "verified", verified.ToString());
        var missing = await api.GetFromJsonAsync<JsonElement>($"/v1/domains/{id}/verify");
        Assert.Equal(["DMARC", "Ownership"], missing.GetProperty("missing_records").EnumerateArray().Select(r => r.GetProperty("record").GetString()));

        // One CNAME gone: the DKIM requirement is unmet again, SPF still is.
        await cluster.Dns.PublishAsync(dns.Take(dns.Count - 1));
        var (_, broken) = await HttpJson.SendAsync(api, HttpMethod.Post, $"/v1/domains/{id}/verify");
        Assert.Equal("partially_verified", broken.GetProperty("status").GetString());

        // Deleting the domain deletes the SES identity (no other organization has it).
        var (deleted, _) = await HttpJson.SendAsync(api, HttpMethod.Delete, $"/v1/domains/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain("easy-dkim.test", cluster.SesIdentities.Identities);
        Assert.Contains(cluster.SesWire.Requests, r => r.Method == "DELETE" && r.PathAndQuery == "/v2/email/identities/easy-dkim.test");
    }

    private void AssertNoCredentialLogged()
    {
        var logs = cluster.AllLogs;
        Assert.DoesNotContain(ProvidersCluster.AwsSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(ProvidersCluster.ResendKey, logs, StringComparison.Ordinal);
    }

    private static async Task<(string Id, string Subject)> SendAsync(HttpClient api, string domain, string subject, bool attachment = false)
    {
        using var response = await api.PostAsJsonAsync("/v1/emails", new
        {
            from = $"Shop <shop@{domain}>", to = "buyer@example.com", bcc = "bcc@example.com", subject, html = "<p>hi</p>", text = "hi",
            headers = new Dictionary<string, string> { ["X-Campaign"] = "spring" },
            attachments = attachment ? new[] { new { filename = "terms.pdf", content = Convert.ToBase64String("%PDF-1.4"u8.ToArray()) } } : null,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return (body.GetProperty("id").GetString()!, subject);
    }

    private static Task<JsonElement> SentAsync(HttpClient api, string id) =>
        Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"), e => e.GetProperty("last_event").GetString() == "sent", Patience, $"email {id} to be sent");

    private static List<(string Status, string Detail)> Timeline(JsonElement email) =>
        [.. email.GetProperty("timeline").EnumerateArray().Select(t => (t.GetProperty("status").GetString()!, t.GetProperty("detail").GetString() ?? ""))];
}
