using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Send.Contracts;
using Send.Contracts.Events;
using Send.TestSupport;
using static Send.TestSupport.HttpJson;

namespace Send.EmailService.Tests;

/// <summary>
/// What comes back after sending, applied by EmailService: provider events onto timelines,
/// <c>last_event</c> and the public <c>email.*</c> events, exactly once however often they
/// arrive; bounces and complaints onto the suppression list, which the next send honours;
/// the reputation policy's pause, which refuses live sends with 403 sending_paused.
/// </summary>
public sealed class FeedbackTests(EmailCluster cluster) : IClassFixture<EmailCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Simulated_events_reach_the_timeline_and_last_event_and_a_provider_event_delivered_three_more_times_is_applied_once()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        using var api = cluster.CreateAuthenticatedClient(await TestKeyAsync(admin));
        var id = await SendEmailAsync(api, "me@anything.example", ["delivered@simulator.send.test", "bounced@simulator.send.test"]);

        var email = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"),
            e => Steps(e).Contains("delivered") && Steps(e).Contains("bounced"), Patience, "the simulated events on the timeline");
        Assert.Equal("bounced", email.GetProperty("last_event").GetString());
        Assert.Contains(email.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("status").GetString() == "bounced"
            && t.GetProperty("detail").GetString() == "sandbox: bounced@simulator.send.test: Permanent General");
        Assert.Equal(["email.queued", "email.sent", "email.bounced", "email.delivered"], await PublicEventsAsync(id));
        // The simulator's addresses are never suppressed, so a test can bounce them every time.
        Assert.Equal(0L, await cluster.CountAsync("SELECT count(*) FROM suppressions WHERE email LIKE '%@simulator.send.test'"));

        // The same provider event again, three times (a provider retrying its callback), then a new one to know they were all consumed.
        var providerMessageId = (string)(await cluster.ScalarAsync($"SELECT provider_message_id FROM emails WHERE id = '{id}'"))!;
        var bounce = new ProviderEventReceived("sandbox", providerMessageId, "bounced", "bounced@simulator.send.test", DateTimeOffset.UtcNow,
            new Dictionary<string, string> { ["bounce_type"] = "Permanent" }, id, $"{providerMessageId}:bounced:bounced@simulator.send.test");
        for (var i = 0; i < 3; i++)
        {
            await cluster.PublishAsync(Topics.ProviderEvents, bounce);
        }

        await cluster.PublishAsync(Topics.ProviderEvents, bounce with { Kind = "opened", Recipient = "delivered@simulator.send.test", ProviderEventId = "open-1" });
        email = await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"), e => Steps(e).Contains("opened"), Patience, "the sentinel event");
        Assert.Equal(1, Steps(email).Count(s => s == "bounced"));
        Assert.Equal(["email.queued", "email.sent", "email.bounced", "email.delivered", "email.opened"], await PublicEventsAsync(id));
        // An open does not move last_event back from bounced.
        Assert.Equal("bounced", email.GetProperty("last_event").GetString());
    }

    [Fact]
    public async Task A_hard_bounce_suppresses_the_address_so_the_next_send_leaves_it_out_and_repeated_soft_bounces_suppress_for_a_while()
    {
        await cluster.AddDomainAsync("feedback.test");
        using var api = cluster.CreateAuthenticatedClient();
        var hard = $"hard-{Guid.NewGuid():N}@example.com";
        var soft = $"soft-{Guid.NewGuid():N}@example.com";
        var id = await SendEmailAsync(api, "shop@feedback.test", [hard, soft]);
        await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"), e => e.GetProperty("last_event").GetString() == "sent", Patience, "the live send");

        await cluster.PublishAsync(Topics.ProviderEvents, new ProviderEventReceived("smtp", "irrelevant", "bounced", hard.ToUpperInvariant(), DateTimeOffset.UtcNow,
            new Dictionary<string, string> { ["bounce_type"] = "Permanent", ["status"] = "5.1.1", ["diagnostic_code"] = "smtp; 550 5.1.1 user unknown" }, id, "dsn-hard"));
        for (var i = 1; i <= 3; i++)
        {
            await cluster.PublishAsync(Topics.ProviderEvents, new ProviderEventReceived("smtp", "irrelevant", "bounced", soft, DateTimeOffset.UtcNow,
                new Dictionary<string, string> { ["bounce_type"] = "Transient", ["diagnostic_code"] = "smtp; 452 mailbox full" }, id, $"dsn-soft-{i}"));
        }

        var suppressed = await Eventually.Until(() => api.GetAsync($"/v1/suppressions/{hard}"), r => r.StatusCode == HttpStatusCode.OK, Patience, "the hard bounce suppression");
        var entry = await suppressed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("bounce", id, "smtp; 550 5.1.1 user unknown"),
            (entry.GetProperty("reason").GetString(), entry.GetProperty("source_email_id").GetString(), entry.GetProperty("detail").GetString()));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("keep_until").ValueKind);
        var softEntry = await Eventually.Until(async () => await api.GetAsync($"/v1/suppressions/{soft}"), r => r.StatusCode == HttpStatusCode.OK, Patience, "the repeated soft bounce suppression");
        var softBody = await softEntry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("repeated_soft_bounce", softBody.GetProperty("reason").GetString());
        Assert.True(softBody.GetProperty("keep_until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(13));

        // The next send leaves both out and says so; a send to them alone is refused.
        var (accepted, next) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "shop@feedback.test", to = new[] { hard, soft, "fine@example.com" }, subject = "Again", text = "t" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal([hard, soft], next.GetProperty("suppressed").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("email.suppressed", await PublicEventsAsync(next.GetProperty("id").GetString()!));
        var (refused, problem) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "shop@feedback.test", to = hard, subject = "Again", text = "t" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("suppression list", problem.GetProperty("errors").GetProperty("to")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_suppressions_api_adds_lists_finds_and_removes_refuses_bad_input_by_field_and_keeps_organizations_apart()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var a = $"a-{Guid.NewGuid():N}@example.com";
        var (created, added) = await SendAsync(api, HttpMethod.Post, "/v1/suppressions", new { email = $"Ann <{a.ToUpperInvariant()}>", reason = "unsubscribe", detail = "asked by phone" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, added.ToString());
        var id = added.GetProperty("id").GetString()!;
        Assert.Equal(("suppression", a, "unsubscribe"), (added.GetProperty("object").GetString(), added.GetProperty("email").GetString(), added.GetProperty("reason").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(api, HttpMethod.Post, "/v1/suppressions", new { email = a })).Response.StatusCode);

        var (_, batch) = await SendAsync(api, HttpMethod.Post, "/v1/suppressions/batch/add", new { emails = new[] { a, $"b-{a}", $"c-{a}" } });
        Assert.Equal(["already_suppressed", "added", "added"], batch.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("result").GetString()));
        var listed = await api.GetFromJsonAsync<JsonElement>($"/v1/suppressions?limit=1&reason=manual");
        Assert.True(listed.GetProperty("has_more").GetBoolean());
        Assert.All(listed.GetProperty("data").EnumerateArray(), s => Assert.Equal("manual", s.GetProperty("reason").GetString()));
        Assert.Equal(a, (await api.GetFromJsonAsync<JsonElement>($"/v1/suppressions/{id}")).GetProperty("email").GetString());

        // Another organization sees none of it and cannot remove it.
        using var other = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("suppressions:read", "suppressions:write"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/suppressions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/v1/suppressions/{a}")).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/v1/suppressions")).GetProperty("data").EnumerateArray());

        // Bad input: named by field, nothing stored.
        var (badOne, badOneProblem) = await SendAsync(api, HttpMethod.Post, "/v1/suppressions", new { email = "not an address", reason = "because", keep_until = "2001-01-01T00:00:00Z" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badOne.StatusCode);
        Assert.Equal(["email", "keep_until", "reason"], badOneProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        var (badBatch, badBatchProblem) = await SendAsync(api, HttpMethod.Post, "/v1/suppressions/batch/add", new { emails = new[] { $"d-{a}", "nope" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badBatch.StatusCode);
        Assert.True(badBatchProblem.GetProperty("errors").TryGetProperty("emails[1]", out _), badBatchProblem.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v1/suppressions/d-{a}")).StatusCode);
        var (tooMany, _) = await SendAsync(api, HttpMethod.Post, "/v1/suppressions/batch/remove", new { emails = Enumerable.Range(0, 101).Select(i => $"{i}@example.com") });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(api, HttpMethod.Post, "/v1/suppressions", null)).Response.StatusCode);

        var (_, removed) = await SendAsync(api, HttpMethod.Post, "/v1/suppressions/batch/remove", new { emails = new[] { $"b-{a}", "never@example.com" } });
        Assert.Equal(["removed", "not_suppressed"], removed.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("result").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/v1/suppressions/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v1/suppressions/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_paused_organization_is_refused_with_sending_paused_until_reinstated_and_an_older_decision_does_not_undo_a_newer_one()
    {
        await cluster.AddDomainAsync("paused.test");
        using var admin = cluster.CreateAuthenticatedClient();
        var organizationId = await cluster.OrganizationIdAsync();
        var pausedAt = DateTimeOffset.UtcNow;
        var reason = "Bounce rate 12.5% over the last 24 h is at or above the HIGH threshold (10%).";
        await cluster.PublishAsync(Topics.OrganizationEvents, new OrganizationSendingChanged(organizationId, true, reason, pausedAt, "fnd_1"));

        var refused = await Eventually.Until(() => SendAsync(admin, HttpMethod.Post, "/v1/emails", new { from = "shop@paused.test", to = "x@example.com", subject = "s", text = "t" }),
            r => r.Response.StatusCode == HttpStatusCode.Forbidden, Patience, "the pause to take effect");
        Assert.Equal("sending_paused", refused.Body.GetProperty("name").GetString());
        Assert.Contains(reason, refused.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (batch, _) = await SendAsync(admin, HttpMethod.Post, "/v1/emails/batch", new[] { new { from = "shop@paused.test", to = "x@example.com", subject = "s", text = "t" } });
        Assert.Equal(HttpStatusCode.Forbidden, batch.StatusCode);

        // A test key still works (it delivers nothing); another organization is not affected.
        using var test = cluster.CreateAuthenticatedClient(await TestKeyAsync(admin));
        await SendEmailAsync(test, "shop@paused.test", ["x@example.com"]);
        var otherOrganization = $"org_01other{Guid.NewGuid():N}"[..31];
        await cluster.AddDomainAsync("other-org.test", organizationId: otherOrganization);
        using var other = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync(otherOrganization, ["emails:send"]));
        await SendEmailAsync(other, "shop@other-org.test", ["x@example.com"]);

        // Reinstated; then the old pause arrives again (a redelivery) and changes nothing.
        await cluster.PublishAsync(Topics.OrganizationEvents, new OrganizationSendingChanged(organizationId, false, "Reinstated by an operator.", pausedAt.AddMinutes(1)));
        await Eventually.Until(() => SendAsync(admin, HttpMethod.Post, "/v1/emails", new { from = "shop@paused.test", to = "x@example.com", subject = "s", text = "t" }),
            r => r.Response.StatusCode == HttpStatusCode.OK, Patience, "the reinstatement to take effect");
        await cluster.PublishAsync(Topics.OrganizationEvents, new OrganizationSendingChanged(organizationId, true, reason, pausedAt, "fnd_1"));
        // A newer decision behind it tells when the replay has been consumed (or, overtaken, would be older still).
        await cluster.PublishAsync(Topics.OrganizationEvents, new OrganizationSendingChanged(organizationId, false, "sentinel", pausedAt.AddMinutes(2)));
        await Eventually.Until(() => cluster.ScalarAsync($"SELECT reason FROM sending_pauses WHERE organization_id = '{organizationId}'"),
            r => (string?)r == "sentinel", Patience, "the decisions after the replay");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Post, "/v1/emails", new { from = "shop@paused.test", to = "x@example.com", subject = "s", text = "t" })).Response.StatusCode);
    }

    [Fact]
    public async Task A_one_click_unsubscribe_link_suppresses_its_recipient_on_POST_only_and_refuses_forged_tokens()
    {
        await cluster.AddDomainAsync("unsub.test");
        using var api = cluster.CreateAuthenticatedClient();
        var recipient = $"reader-{Guid.NewGuid():N}@example.com";
        var subject = $"Newsletter {Guid.NewGuid():N}";
        var (sent, body) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "news@unsub.test", to = recipient, subject, text = "hi", unsubscribe = true });
        Assert.True(sent.StatusCode == HttpStatusCode.OK, body.ToString());

        // The delivered message carries both RFC 8058 headers, pointing at this installation.
        var received = await Eventually.Until(cluster.Mail.MessagesAsync, m => m.Any(x => x.Subject == subject), Patience, "the newsletter");
        var message = await cluster.Mail.RawAsync(received.Single(m => m.Subject == subject).Id);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        var link = (message.Headers["List-Unsubscribe"] ?? "").Trim('<', '>');
        Assert.StartsWith("https://send.example.test/unsubscribe/", link, StringComparison.Ordinal);
        var path = new Uri(link).AbsolutePath;

        // Anyone may follow it, without a key; a GET (a mail scanner) changes nothing, the one-click POST suppresses.
        using var anonymous = cluster.Gateway.CreateClient();
        var page = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(recipient, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v1/suppressions/{recipient}")).StatusCode);
        using var oneClick = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(new Uri(path, UriKind.Relative), oneClick)).StatusCode);
        var suppression = await api.GetFromJsonAsync<JsonElement>($"/v1/suppressions/{recipient}");
        Assert.Equal(("unsubscribe", body.GetProperty("id").GetString()), (suppression.GetProperty("reason").GetString(), suppression.GetProperty("source_email_id").GetString()));

        // A token Send did not seal, or a changed one, is not found; unsubscribe with two recipients is refused by field.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(new Uri("/unsubscribe/v1.deadbeef.AAAA", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync(new Uri(path[..^6] + "AAAAAA", UriKind.Relative), null)).StatusCode);
        var (refused, problem) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "news@unsub.test", to = new[] { "a@example.com", "b@example.com" }, subject, text = "hi", unsubscribe = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("exactly one recipient", problem.GetProperty("errors").GetProperty("unsubscribe")[0].GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> TestKeyAsync(HttpClient admin)
    {
        var (response, key) = await SendAsync(admin, HttpMethod.Post, "/v1/api-keys", new { name = "feedback", permission = "sending_access", environment = "test" });
        Assert.True(response.IsSuccessStatusCode, key.ToString());
        return key.GetProperty("token").GetString()!;
    }

    private static async Task<string> SendEmailAsync(HttpClient api, string from, string[] to)
    {
        var (response, body) = await HttpJson.SendAsync(api, HttpMethod.Post, "/v1/emails", new { from, to, subject = "Feedback", text = "hi" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private static List<string> Steps(JsonElement email) => [.. email.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()!)];

    private async Task<List<string>> PublicEventsAsync(string emailId)
    {
        var events = (string?)await cluster.ScalarAsync(
            $"SELECT string_agg(payload->>'event', ',' ORDER BY payload->>'event') FROM outbox_messages WHERE topic = 'email-events' AND payload->>'email_id' = '{emailId}'");
        return [.. (events ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).OrderBy(e => e == "email.queued" ? 0 : e == "email.sent" ? 1 : 2).ThenBy(e => e, StringComparer.Ordinal)];
    }
}
