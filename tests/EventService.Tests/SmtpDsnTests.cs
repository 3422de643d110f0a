using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MimeKit;

namespace Send.EventService.Tests;

/// <summary>
/// Delivery status notifications as an MTA's pipe posts them (<c>message/rfc822</c> with the
/// pipe's secret), through the Gateway without an API key.
/// </summary>
[Collection(EventClusterDefinition.Name)]
public sealed class SmtpDsnTests(EventCluster cluster)
{
    private const string EmailId = "send_01jdz7k3m9q2w8e4r6t1y5u0ab";

    [Fact]
    public async Task A_Postfix_bounce_to_the_VERP_address_is_one_bounce_per_failed_recipient()
    {
        var raw = Unique(Callbacks.SampleBytes("postfix-bounce.eml"), "20261129100005.4C0E12A0B1@mail.example.net", out var dsnId);
        using var response = await PostAsync(raw);
        Assert.Equal(2, await Callbacks.AcceptedAsync(response));

        var published = await cluster.PublishedAsync(dsnId);
        Assert.Equal(["full@example.net", "nobody@example.net"], published.Select(p => p.Text("recipient")).Order());
        Assert.All(published, p =>
        {
            Assert.Equal("smtp", p.Text("provider"));
            Assert.Equal("bounced", p.Text("kind"));
            Assert.Equal(EmailId, p.Text("email_id"));
            Assert.Equal("S8D2KQ4VZ1U4.7MZ0Q3C2RXW81@example.com", p.Text("provider_message_id"));
            Assert.Equal($"{dsnId}:{p.Text("recipient")}", p.Text("provider_event_id"));
            Assert.Equal("Permanent", p.Details()["bounce_type"]);
        });

        var unknown = published.Single(p => p.Text("recipient") == "nobody@example.net").Details();
        Assert.Equal("5.1.1", unknown["status"]);
        Assert.Equal("NoEmail", unknown["bounce_subtype"]);
        Assert.Equal("smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in local recipient table", unknown["diagnostic_code"]);
        Assert.Equal("MailboxFull", published.Single(p => p.Text("recipient") == "full@example.net").Details()["bounce_subtype"]);
    }

    [Fact]
    public async Task A_delay_warning_without_VERP_names_its_email_by_the_returned_Message_ID()
    {
        var raw = Unique(Callbacks.SampleBytes("postfix-delay.eml"), "20261129140002.7A1C33B0F2@mail.example.net", out var dsnId);
        using var response = await PostAsync(raw);
        Assert.Equal(1, await Callbacks.AcceptedAsync(response));

        var delayed = Assert.Single(await cluster.PublishedAsync(dsnId));
        Assert.Equal("delivery_delayed", delayed.Text("kind"));
        Assert.Equal("slow@example.org", delayed.Text("recipient"));
        Assert.Null(delayed.NullableText("email_id"));
        Assert.Equal("K1QW3E5R7T9Y.2B4N6M8P0L3J5@example.com", delayed.Text("provider_message_id"));
        Assert.Equal("4.4.1", delayed.Details()["status"]);
        Assert.Equal(dsnId, delayed.Text("provider_event_id"));
    }

    [Fact]
    public async Task A_DSN_built_by_MimeKit_with_a_delivered_and_a_transient_failure_is_read_the_same_way()
    {
        var dsnId = $"{Guid.NewGuid():N}@mta.example.org";
        using var report = new MultipartReport("delivery-status");
        report.Add(new TextPart("plain") { Text = "Delivery report." });
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; mta.example.org" } };
        var delivered = new HeaderList { { "Final-Recipient", "rfc822; ok@example.org" }, { "Action", "delivered" }, { "Status", "2.0.0" } };
        var gaveUp = new HeaderList
        {
            { "Final-Recipient", "rfc822; later@example.org" }, { "Action", "failed" }, { "Status", "4.4.7" },
            { "Diagnostic-Code", "smtp; 421 4.4.7 Message expired" },
        };
        status.StatusGroups.Add(perMessage);
        status.StatusGroups.Add(delivered);
        status.StatusGroups.Add(gaveUp);
        report.Add(status);
        var message = new MimeMessage { MessageId = dsnId, Subject = "Delivery Status Notification", Body = report };
        message.From.Add(new MailboxAddress("Mail Delivery System", "mailer-daemon@mta.example.org"));
        message.To.Add(MailboxAddress.Parse($"bounces+{EmailId}@send.example.com"));
        using var raw = new MemoryStream();
        await message.WriteToAsync(raw);

        using var response = await PostAsync(raw.ToArray());
        Assert.Equal(2, await Callbacks.AcceptedAsync(response));
        var published = await cluster.PublishedAsync(dsnId);
        Assert.Equal("delivered", published.Single(p => p.Text("recipient") == "ok@example.org").Text("kind"));
        var transient = published.Single(p => p.Text("recipient") == "later@example.org");
        Assert.Equal("bounced", transient.Text("kind"));
        Assert.Equal("Transient", transient.Details()["bounce_type"]);
        Assert.All(published, p => Assert.Equal(EmailId, p.Text("email_id")));
    }

    [Fact]
    public async Task A_DSN_without_the_pipes_secret_is_refused_and_nothing_is_published()
    {
        var raw = Unique(Callbacks.SampleBytes("postfix-bounce.eml"), "20261129100005.4C0E12A0B1@mail.example.net", out var dsnId);
        using (var response = await PostAsync(raw, secret: null))
        {
            await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        }

        using (var response = await PostAsync(raw, secret: "guessed"))
        {
            await Callbacks.RefusedAsync(response, HttpStatusCode.Forbidden, "invalid_signature");
        }

        Assert.Empty(await cluster.PublishedAsync(dsnId));
    }

    [Fact]
    public async Task A_message_that_is_not_a_DSN_or_not_posted_as_a_message_is_a_clear_problem()
    {
        var plain = Encoding.ASCII.GetBytes("From: someone@example.com\r\nTo: bounces+x@send.example.com\r\nSubject: hi\r\n\r\nJust mail.\r\n");
        using (var response = await PostAsync(plain))
        {
            await Callbacks.RefusedAsync(response, HttpStatusCode.UnprocessableEntity, "unsupported_event");
        }

        using (var response = await PostAsync(Callbacks.SampleBytes("postfix-bounce.eml"), contentType: "application/json"))
        {
            await Callbacks.RefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "invalid_payload");
        }
    }

    /// <summary>The sample with a fresh Message-ID, so each test finds only its own events.</summary>
    private static byte[] Unique(byte[] sample, string messageId, out string fresh)
    {
        fresh = $"{Guid.NewGuid():N}.{messageId}";
        return Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(sample).Replace(messageId, fresh, StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] raw, string? secret = EventCluster.DsnSecret, string contentType = "message/rfc822")
    {
        using var client = cluster.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/providers/smtp/dsn", UriKind.Relative))
        {
            Content = new ByteArrayContent(raw) { Headers = { ContentType = new MediaTypeHeaderValue(contentType) } },
        };
        if (secret is not null)
        {
            request.Headers.Add("X-Send-Dsn-Secret", secret);
        }

        return await client.SendAsync(request);
    }
}
