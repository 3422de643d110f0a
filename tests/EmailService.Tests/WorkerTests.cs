using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Send.TestSupport;
using Xunit.Abstractions;

namespace Send.EmailService.Tests;

/// <summary>The delivery worker under load and under failure, with a real SMTP server.</summary>
public sealed class WorkerTests(EmailCluster cluster, ITestOutputHelper output) : IClassFixture<EmailCluster>, IAsyncLifetime
{
    public Task InitializeAsync() => cluster.AddDomainAsync("worker.test");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_high_priority_email_sent_behind_two_thousand_normal_ones_is_delivered_before_most_of_them()
    {
        using var api = cluster.CreateAuthenticatedClient();
        for (var batch = 0; batch < 2; batch++)
        {
            using var queued = await api.PostAsJsonAsync("/v1/emails/batch",
                Enumerable.Range(0, 1000).Select(i => new { from = "a@worker.test", to = $"n{i}@example.com", subject = "normal", text = "t" }));
            Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        }

        using var urgent = await api.PostAsJsonAsync("/v1/emails", new { from = "a@worker.test", to = "vip@example.com", subject = "urgent", text = "t", priority = "high" });
        var id = (await urgent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await Eventually.Until(() => cluster.CountAsync("SELECT count(*) FROM emails WHERE subject IN ('normal', 'urgent') AND status <> 'sent'"),
            left => left == 0, TimeSpan.FromMinutes(4), "all 2,001 emails to be sent");
        var sentBefore = await cluster.CountAsync(
            $"SELECT count(*) FROM emails WHERE subject = 'normal' AND sent_at < (SELECT sent_at FROM emails WHERE id = '{id}')");
        output.WriteLine($"normal emails sent before the priority one: {sentBefore} of 2,000");
        output.WriteLine($"normal sent before it was accepted: {await cluster.CountAsync($"SELECT count(*) FROM emails WHERE subject = 'normal' AND sent_at < (SELECT created_at FROM emails WHERE id = '{id}')")}");
        output.WriteLine($"ms from accept to publish: {await cluster.CountAsync($"SELECT (extract(epoch from (published_at - created_at)) * 1000)::bigint FROM outbox_messages WHERE topic = 'email-send-priority'")}");
        output.WriteLine($"ms from accept to sent: {await cluster.CountAsync($"SELECT (extract(epoch from (sent_at - created_at)) * 1000)::bigint FROM emails WHERE id = '{id}'")}");
        Assert.True(sentBefore < 1000, $"{sentBefore} of 2,000 normal emails went out before the priority one");
    }

    [Fact]
    public async Task Killing_the_worker_in_the_middle_of_a_thousand_emails_loses_none()
    {
        using var api = cluster.CreateAuthenticatedClient();
        using var queued = await api.PostAsJsonAsync("/v1/emails/batch",
            Enumerable.Range(0, 1000).Select(i => new { from = "a@worker.test", to = $"k{i}@example.com", subject = $"crash {i}", text = "t" }));
        Assert.Equal(HttpStatusCode.OK, queued.StatusCode);
        await Eventually.Until(() => cluster.CountAsync("SELECT count(*) FROM emails WHERE subject LIKE 'crash %' AND status = 'sent'"),
            sent => sent >= 100, TimeSpan.FromMinutes(2), "the run to be under way");

        await cluster.CrashAndRestartAsync("EmailService");

        await Eventually.Until(() => cluster.CountAsync("SELECT count(*) FROM emails WHERE subject LIKE 'crash %' AND status <> 'sent'"),
            left => left == 0, TimeSpan.FromMinutes(4), "all 1,000 to end sent");
        // "sent" is recorded on the server's 250; the mail catcher may still be storing the last
        // messages, so its listing is read until it holds every subject (or the patience runs out).
        var received = await Eventually.Until(
            async () => (await cluster.Mail.MessagesAsync()).Where(m => m.Subject.StartsWith("crash ", StringComparison.Ordinal)).ToList(),
            r => r.Select(m => m.Subject).Distinct().Count() >= 1000, TimeSpan.FromSeconds(30), "the mail catcher to list every email");
        var distinct = received.Select(m => m.Subject).Distinct().Count();
        output.WriteLine($"1,000 emails, {received.Count} messages at the SMTP server, {received.Count - distinct} duplicates (sent, then the crash came before it was recorded)");
        Assert.Equal(1000, distinct);
    }
}
