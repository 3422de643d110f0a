using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Send.TestSupport;

namespace Send.EmailService.Tests;

/// <summary>
/// Sending end to end: through the Gateway with a real key, stored by EmailService, queued on
/// the local transport, built by the worker and delivered to a real SMTP server.
/// </summary>
public sealed class SendingTests(EmailCluster cluster) : IClassFixture<EmailCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly byte[] Pdf = "%PDF-1.4 a tiny test document"u8.ToArray();
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task A_live_email_arrives_with_every_header_attachment_and_inline_image_and_bcc_only_in_the_envelope()
    {
        await cluster.AddDomainAsync("acme-live.test");
        using var api = cluster.CreateAuthenticatedClient();
        var subject = $"Welcome {Guid.NewGuid():N}";

        using var response = await api.PostAsJsonAsync("/v1/emails", new
        {
            from = "Acme Team <hello@acme-live.test>",
            to = new[] { "ann@example.com", "bob@example.com" },
            cc = "carol@example.com",
            bcc = new[] { "dave@example.com" },
            reply_to = "support@acme-live.test",
            subject,
            html = "<p>Hello <img src=\"cid:logo\"></p>",
            text = "Hello",
            headers = new Dictionary<string, string> { ["X-Campaign"] = "spring" },
            attachments = new object[]
            {
                new { filename = "terms.pdf", content = Convert.ToBase64String(Pdf) },
                new { filename = "logo.png", content = Convert.ToBase64String(Png), content_id = "logo" },
            },
            tags = new[] { new { name = "category", value = "welcome" } },
        });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var id = body.GetProperty("id").GetString()!;
        Assert.StartsWith("send_", id, StringComparison.Ordinal);
        Assert.Equal("queued", body.GetProperty("status").GetString());

        var email = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"),
            e => e.GetProperty("last_event").GetString() == "sent", Patience, "the email to be sent");
        Assert.Equal(["queued", "sent"], email.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        Assert.Equal("email", email.GetProperty("object").GetString());

        var received = await Eventually.Until(cluster.Mail.MessagesAsync, m => m.Any(x => x.Subject == subject), Patience, "the message at the SMTP server");
        var mail = received.Single(m => m.Subject == subject);
        Assert.Equal(["ann@example.com", "bob@example.com", "carol@example.com", "dave@example.com"], mail.DeliveredTo.Order());

        var message = await cluster.Mail.RawAsync(mail.Id);
        Assert.Equal("\"Acme Team\" <hello@acme-live.test>", message.From.ToString());
        Assert.Equal(["ann@example.com", "bob@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["carol@example.com"], message.Cc.Mailboxes.Select(m => m.Address));
        Assert.Empty(message.Bcc);
        Assert.DoesNotContain(message.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["support@acme-live.test"], message.ReplyTo.Mailboxes.Select(m => m.Address));
        Assert.Equal("spring", message.Headers["X-Campaign"]);
        Assert.EndsWith("@acme-live.test", message.MessageId, StringComparison.Ordinal);
        Assert.Equal("Hello", message.TextBody?.Trim());
        Assert.Contains("cid:logo", message.HtmlBody, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimeKit.MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("terms.pdf", attachment.FileName);
        Assert.Equal(Pdf, Content(attachment));
        var inline = message.BodyParts.OfType<MimeKit.MimePart>().Single(p => p.ContentId == "logo");
        Assert.Equal(Png, Content(inline));
    }

    [Fact]
    public async Task Two_hundred_concurrent_single_sends_are_committed_in_groups_each_whole_and_once()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        using var api = cluster.CreateAuthenticatedClient(await CreateKeyAsync(admin, new { name = "grouped", permission = "sending_access", environment = "test" }));
        var subject = $"Grouped {Guid.NewGuid():N}";

        // Sent all at once, so the writers find many waiting and commit them together.
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await api.PostAsJsonAsync("/v1/emails", new { from = "me@grouped.example", to = $"r{i}@example.com", subject, text = "hi" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }));

        Assert.Equal(200, answers.Distinct().Count());
        // Every acknowledged email is stored with its first timeline step and both of its accept events, once
        // (the sandbox then sends them, which adds email.sent events: those are not counted).
        Assert.Equal(200L, await cluster.CountAsync($"SELECT count(*) FROM emails WHERE subject = '{subject}'"));
        Assert.Equal(200L, await cluster.CountAsync(
            $"SELECT count(*) FROM email_timeline t JOIN emails e ON e.id = t.email_id WHERE e.subject = '{subject}' AND t.status = 'queued'"));
        Assert.Equal(200L, await cluster.CountAsync(
            $"SELECT count(*) FROM outbox_messages m JOIN emails e ON m.payload->>'email_id' = e.id WHERE e.subject = '{subject}' AND m.type = 'send.email.queued.v1'"));
        Assert.Equal(200L, await cluster.CountAsync(
            $"SELECT count(*) FROM outbox_messages m JOIN emails e ON m.payload->>'email_id' = e.id WHERE e.subject = '{subject}' AND m.payload->>'event' = 'email.queued'"));
    }

    [Fact]
    public async Task An_email_the_database_refuses_fails_alone_and_the_rest_of_its_group_is_stored()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        using var api = cluster.CreateAuthenticatedClient(await CreateKeyAsync(admin, new { name = "poisoned", permission = "sending_access", environment = "test" }));
        var run = Guid.NewGuid().ToString("N");
        var poison = $"Poison {run}";

        // The database itself refuses one email (as a full disk or a broken constraint would), so
        // the group it was committed with fails, and group commit must retry the others one by one.
        await cluster.ExecuteSqlAsync($"""
            CREATE FUNCTION refuse_{run}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.subject LIKE 'Poison {run}%' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_{run} BEFORE INSERT ON emails FOR EACH ROW EXECUTE FUNCTION refuse_{run}();
            """);
        try
        {
            // Sent all at once so the poisoned email is queued with others; repeated until the
            // service logs that a group was split (a round may find the writers idle).
            for (var round = 0; round < 5 && !cluster.AllLogs.Contains("could not be committed together", StringComparison.Ordinal); round++)
            {
                var good = $"Good {run} {round}";
                var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
                {
                    using var response = await api.PostAsJsonAsync("/v1/emails", new { from = "me@poisoned.example", to = $"r{i}@example.com", subject = i == 20 ? $"{poison} {round}" : good, text = "hi" });
                    return (i, response.StatusCode);
                }));

                Assert.All(answers.Where(a => a.i != 20), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
                Assert.True((int)answers.Single(a => a.i == 20).StatusCode >= 500, "the refused email is not acknowledged");
                Assert.Equal(39L, await cluster.CountAsync($"SELECT count(*) FROM emails WHERE subject = '{good}'"));
                Assert.Equal(39L, await cluster.CountAsync(
                    $"SELECT count(*) FROM outbox_messages m JOIN emails e ON m.payload->>'email_id' = e.id WHERE e.subject = '{good}' AND m.type = 'send.email.queued.v1'"));
            }

            Assert.Contains("could not be committed together", cluster.AllLogs, StringComparison.Ordinal);
            // Nothing half-written for the refused ones: no email, no timeline step, no event.
            Assert.Equal(0L, await cluster.CountAsync($"SELECT count(*) FROM emails WHERE subject LIKE '{poison}%'"));
            Assert.Equal(0L, await cluster.CountAsync($"SELECT count(*) FROM outbox_messages WHERE payload->>'subject' LIKE '{poison}%'"));
        }
        finally
        {
            await cluster.ExecuteSqlAsync($"DROP TRIGGER refuse_{run} ON emails; DROP FUNCTION refuse_{run}();");
        }
    }

    [Fact]
    public async Task A_test_key_may_send_from_any_address_and_nothing_is_delivered()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var testKey = await CreateKeyAsync(admin, new { name = "sandbox", permission = "sending_access", environment = "test" });
        using var api = cluster.CreateAuthenticatedClient(testKey);
        var subject = $"Sandbox {Guid.NewGuid():N}";

        using var response = await api.PostAsJsonAsync("/v1/emails", new { from = "me@unverified.example", to = "someone@example.com", subject, text = "hi" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"),
            e => e.GetProperty("last_event").GetString() == "sent", Patience, "the sandbox send");
        Assert.DoesNotContain(await cluster.Mail.MessagesAsync(), m => m.Subject == subject);
    }

    [Fact]
    public async Task An_attachment_given_by_URL_is_fetched_and_delivered_and_one_that_fails_or_leads_to_a_refused_address_is_named()
    {
        // A file server on 127.0.0.2 (which EmailCluster allows) and 127.0.0.1 (which nothing allows).
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.2:{port}", $"http://127.0.0.1:{port}");
        await using var files = builder.Build();
        files.MapGet("/terms.pdf", () => Results.Bytes(Pdf, "application/pdf"));
        files.MapGet("/to-loopback", () => Results.Redirect($"http://127.0.0.1:{port}/terms.pdf"));
        await files.StartAsync();
        using var api = cluster.CreateAuthenticatedClient();
        await cluster.AddDomainAsync("by-url.test");

        var subject = $"By URL {Guid.NewGuid():N}";
        var (accepted, body) = await HttpJson.SendAsync(api, HttpMethod.Post, "/v1/emails", new
        {
            from = "shop@by-url.test", to = "url@example.com", subject, text = "attached",
            attachments = new[] { new { filename = "terms.pdf", path = $"http://127.0.0.2:{port}/terms.pdf" } },
        });
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, body.ToString());
        var received = await Eventually.Until(cluster.Mail.MessagesAsync, m => m.Any(x => x.Subject == subject), Patience, "the email with the fetched attachment");
        var message = await cluster.Mail.RawAsync(received.Single(m => m.Subject == subject).Id);
        var attachment = Assert.IsType<MimeKit.MimePart>(Assert.Single(message.Attachments));
        Assert.Equal(("terms.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType.MimeType));
        Assert.Equal(Pdf, Content(attachment));

        // A missing file, a redirect to a refused address, a refused address: each named, nothing stored.
        var before = await cluster.EmailCountAsync();
        var (refused, problem) = await HttpJson.SendAsync(api, HttpMethod.Post, "/v1/emails", new
        {
            from = "shop@by-url.test", to = "url@example.com", subject, text = "attached",
            attachments = new[]
            {
                new { filename = "a.pdf", path = $"http://127.0.0.2:{port}/missing.pdf" },
                new { filename = "b.pdf", path = $"http://127.0.0.2:{port}/to-loopback" },
                new { filename = "c.pdf", path = $"http://127.0.0.1:{port}/terms.pdf" },
            },
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var errors = problem.GetProperty("errors");
        Assert.Contains("404", errors.GetProperty("attachments[0].path")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 is not a public internet address", errors.GetProperty("attachments[1].path")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1 is not a public internet address", errors.GetProperty("attachments[2].path")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await cluster.EmailCountAsync());
    }

    [Fact]
    public async Task Test_emails_to_the_simulator_addresses_report_delivered_bounced_and_complained()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        using var api = cluster.CreateAuthenticatedClient(await CreateKeyAsync(admin, new { name = "simulator", permission = "sending_access", environment = "test" }));

        using var response = await api.PostAsJsonAsync("/v1/emails", new
        {
            from = "me@anything.example", subject = "Simulated", text = "hi",
            to = new[] { "delivered@simulator.send.test", "bounced+signup@simulator.send.test", "complained@resend.dev", "someone@example.com" },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Eventually.Until(() => admin.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"), e => e.GetProperty("last_event").GetString() == "sent", Patience, "the sandbox send");

        var events = (string?)await cluster.ScalarAsync($"""
            SELECT string_agg(payload->>'kind' || ':' || (payload->>'recipient') || ':' || coalesce(payload->'details'->>'bounce_type', '-'), ',' ORDER BY payload->>'kind')
            FROM outbox_messages WHERE topic = 'provider-events' AND payload->>'email_id' = '{id}'
            """);
        Assert.Equal("bounced:bounced+signup@simulator.send.test:Permanent,complained:complained@resend.dev:-,delivered:delivered@simulator.send.test:-", events);
    }

    [Fact]
    public async Task A_live_key_cannot_send_from_a_domain_that_is_not_verified_and_nothing_is_stored()
    {
        await cluster.AddDomainAsync("pending-domain.test", verified: false);
        using var api = cluster.CreateAuthenticatedClient();
        var before = await cluster.EmailCountAsync();

        foreach (var from in new[] { "a@pending-domain.test", "a@never-added.test" })
        {
            using var response = await api.PostAsJsonAsync("/v1/emails", new { from, to = "x@example.com", subject = "s", text = "t" });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("invalid_from_address", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        }

        Assert.Equal(before, await cluster.EmailCountAsync());
    }

    [Fact]
    public async Task A_key_restricted_to_one_domain_sends_only_from_that_domain()
    {
        var mine = await cluster.AddDomainAsync("mine.test");
        await cluster.AddDomainAsync("theirs.test");
        using var admin = cluster.CreateAuthenticatedClient();
        var restricted = await CreateKeyAsync(admin, new { name = "one domain", permission = "sending_access", domain_id = mine });
        using var api = cluster.CreateAuthenticatedClient(restricted);

        using var refused = await api.PostAsJsonAsync("/v1/emails", new { from = "a@theirs.test", to = "x@example.com", subject = "s", text = "t" });
        using var accepted = await api.PostAsJsonAsync("/v1/emails", new { from = "a@mine.test", to = "x@example.com", subject = "s", text = "t" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("restricted_api_key", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Suppressed_recipients_are_left_out_and_the_answer_says_so()
    {
        await cluster.AddDomainAsync("suppressing.test");
        await cluster.AddSuppressionAsync("bounced-before@example.com");
        using var api = cluster.CreateAuthenticatedClient();

        using var partly = await api.PostAsJsonAsync("/v1/emails", new
        {
            from = "a@suppressing.test", to = new[] { "Bounced <Bounced-Before@example.com>", "fine@example.com" }, subject = "s", text = "t",
        });
        using var wholly = await api.PostAsJsonAsync("/v1/emails", new { from = "a@suppressing.test", to = "bounced-before@example.com", subject = "s", text = "t" });

        var answer = await partly.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, partly.StatusCode);
        Assert.Equal(["bounced-before@example.com"], answer.GetProperty("suppressed").EnumerateArray().Select(s => s.GetString()));
        var stored = await api.GetFromJsonAsync<JsonElement>($"/v1/emails/{answer.GetProperty("id").GetString()}");
        Assert.Equal(["fine@example.com"], stored.GetProperty("to").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wholly.StatusCode);
    }

    [Fact]
    public async Task A_scheduled_email_waits_for_its_time_and_is_then_sent()
    {
        await cluster.AddDomainAsync("later.test");
        using var api = cluster.CreateAuthenticatedClient();

        using var response = await api.PostAsJsonAsync("/v1/emails", new
        {
            from = "a@later.test", to = "x@example.com", subject = "later", text = "t", scheduled_at = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O"),
        });
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("scheduled", answer.GetProperty("status").GetString());
        var id = answer.GetProperty("id").GetString();

        // Brought forward to a couple of seconds from now: it must wait for that, then go.
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        using var moved = await api.PatchAsJsonAsync($"/v1/emails/{id}", new { scheduled_at = at.ToString("O") });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var email = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"),
            e => e.GetProperty("last_event").GetString() == "sent", Patience, "the scheduled send");
        var queuedAt = email.GetProperty("timeline").EnumerateArray().First(t => t.GetProperty("status").GetString() == "queued").GetProperty("occurred_at").GetDateTimeOffset();
        Assert.True(queuedAt >= at, $"released at {queuedAt:O}, scheduled for {at:O}");
    }

    [Fact]
    public async Task An_email_of_another_organization_or_none_is_not_found()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var testKey = await CreateKeyAsync(admin, new { name = "tenant check", permission = "full_access", environment = "test" });
        using var api = cluster.CreateAuthenticatedClient(testKey);
        var later = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        using var sent = await api.PostAsJsonAsync("/v1/emails", new { from = "a@tenant.example", to = "x@example.com", subject = "s", text = "t", scheduled_at = later });
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        // The email now belongs to someone else: to this organization it must not exist.
        await cluster.CountAsync($"WITH moved AS (UPDATE emails SET organization_id = 'org_someone_else' WHERE id = '{id}' RETURNING 1) SELECT count(*) FROM moved");

        using var get = await api.GetAsync(new Uri($"/v1/emails/{id}", UriKind.Relative));
        using var cancel = await api.PostAsync(new Uri($"/v1/emails/{id}/cancel", UriKind.Relative), null);
        using var reschedule = await api.PatchAsJsonAsync($"/v1/emails/{id}", new { scheduled_at = later });
        using var unknown = await api.GetAsync(new Uri("/v1/emails/send_01jzzzzzzzzzzzzzzzzzzzzzzz", UriKind.Relative));
        var list = await api.GetFromJsonAsync<JsonElement>("/v1/emails?limit=100");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reschedule.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain(list.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.Equal("scheduled", (string?)await cluster.ScalarAsync($"SELECT status FROM emails WHERE id = '{id}'"));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_idempotency_key_create_one_email()
    {
        await cluster.AddDomainAsync("idempotent.test");
        using var api = cluster.CreateAuthenticatedClient();
        var before = await cluster.EmailCountAsync();
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/emails")
            {
                Content = JsonContent.Create(new { from = "a@idempotent.test", to = "x@example.com", subject = "once", text = "t" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await api.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));

        Assert.Equal(before + 1, await cluster.EmailCountAsync());
        Assert.Single(answers.Where(a => a.StatusCode == HttpStatusCode.OK).Select(a => a.Body.GetProperty("id").GetString()).Distinct());
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Equal("concurrent_idempotent_requests", a.Body.GetProperty("name").GetString());
        });
    }

    [Fact]
    public async Task Only_a_scheduled_email_can_be_rescheduled_or_canceled()
    {
        await cluster.AddDomainAsync("not-scheduled.test");
        using var api = cluster.CreateAuthenticatedClient();
        using var sent = await api.PostAsJsonAsync("/v1/emails", new { from = "a@not-scheduled.test", to = "x@example.com", subject = "now", text = "t" });
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var cancel = await api.PostAsync(new Uri($"/v1/emails/{id}/cancel", UriKind.Relative), null);
        using var reschedule = await api.PatchAsJsonAsync($"/v1/emails/{id}", new { scheduled_at = DateTimeOffset.UtcNow.AddHours(1).ToString("O") });
        using var missing = await api.PostAsync(new Uri("/v1/emails/send_01jzzzzzzzzzzzzzzzzzzzzzzz/cancel", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, reschedule.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_tag_recipient_and_status_and_pages_with_a_cursor()
    {
        using var admin = cluster.CreateAuthenticatedClient();
        var testKey = await CreateKeyAsync(admin, new { name = "lister", permission = "full_access", environment = "test" });
        using var api = cluster.CreateAuthenticatedClient(testKey);
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        foreach (var campaign in new[] { "spring", "autumn", "spring" })
        {
            using var sent = await api.PostAsJsonAsync("/v1/emails", new
            {
                from = "a@lists.example", to = $"{run}-{campaign}@example.com", subject = "s", text = "t",
                tags = new[] { new { name = "campaign", value = $"{campaign}-{run}" } },
            });
            ids.Add((await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        var spring = await api.GetFromJsonAsync<JsonElement>($"/v1/emails?tag=campaign:spring-{run}");
        Assert.Equal([ids[2], ids[0]], spring.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        var autumn = await api.GetFromJsonAsync<JsonElement>($"/v1/emails?recipient={run}-AUTUMN@example.com");
        Assert.Equal([ids[1]], autumn.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        var firstPage = await api.GetFromJsonAsync<JsonElement>($"/v1/emails?tag=campaign:spring-{run}&limit=1");
        Assert.True(firstPage.GetProperty("has_more").GetBoolean());
        var secondPage = await api.GetFromJsonAsync<JsonElement>($"/v1/emails?tag=campaign:spring-{run}&limit=1&after={ids[2]}");
        Assert.Equal(ids[0], secondPage.GetProperty("data")[0].GetProperty("id").GetString());
        using var badTag = await api.GetAsync(new Uri("/v1/emails?tag=nocolon", UriKind.Relative));
        using var badStatus = await api.GetAsync(new Uri("/v1/emails?status=lost", UriKind.Relative));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badTag.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus.StatusCode);
    }

    private static async Task<string> CreateKeyAsync(HttpClient admin, object request)
    {
        using var response = await admin.PostAsJsonAsync("/v1/api-keys", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    private static byte[] Content(MimeKit.MimePart part)
    {
        using var buffer = new MemoryStream();
        part.Content!.DecodeTo(buffer);
        return buffer.ToArray();
    }
}
