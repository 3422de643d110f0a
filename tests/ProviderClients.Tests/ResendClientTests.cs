using System.Net;
using Send.TestSupport;

namespace Send.ProviderClients.Tests;

/// <summary>The Resend client against <see cref="ResendStandIn"/>, which holds requests to Resend's documented format (no Resend server can run here).</summary>
public sealed class ResendClientTests : IAsyncLifetime
{
    private ResendStandIn _resend = null!;

    public async Task InitializeAsync() => _resend = await ResendStandIn.StartAsync("re_test_key");

    public async Task DisposeAsync() => await _resend.DisposeAsync();

    [Fact]
    public async Task A_send_is_in_Resends_format_with_the_key_and_an_idempotency_key()
    {
        using var http = new HttpClient();
        var client = new ResendClient(http, new ResendOptions { BaseAddress = _resend.BaseAddress, ApiKey = "re_test_key" });
        var result = await client.SendAsync(new ResendEmail(
            "Shop <shop@resend.test>", ["ann@example.com"], "Your receipt",
            Cc: ["cc@example.com"], Bcc: ["audit@example.com"], ReplyTo: ["help@resend.test"],
            Html: "<p>Thanks</p>", Text: "Thanks",
            Headers: new Dictionary<string, string> { ["X-Campaign"] = "spring" },
            Attachments: [new ResendAttachment("r.pdf", Convert.ToBase64String("%PDF"u8.ToArray()), "application/pdf"), new ResendAttachment("logo.png", "iVBORw0K", "image/png", "logo")],
            Tags: [new ResendTag("send_email_id", "send_01abc")]), "send_01abc", CancellationToken.None);

        Assert.True(result.Succeeded, $"{result.Status} {result.ErrorName} {result.ErrorMessage}");
        Assert.Empty(_resend.Problems);
        var (sent, idempotencyKey) = Assert.Single(_resend.Received);
        Assert.Equal("send_01abc", idempotencyKey);
        Assert.Equal("help@resend.test", sent.GetProperty("reply_to")[0].GetString());
        Assert.Equal("logo", sent.GetProperty("attachments")[1].GetProperty("content_id").GetString());
        Assert.False(sent.TryGetProperty("scheduled_at", out _));
    }

    [Theory]
    [InlineData("rate limited", HttpStatusCode.TooManyRequests, "rate_limit_exceeded")]
    [InlineData("rejected", HttpStatusCode.UnprocessableEntity, "validation_error")]
    public async Task Errors_come_back_with_Resends_name(string subject, HttpStatusCode status, string name)
    {
        using var http = new HttpClient();
        var client = new ResendClient(http, new ResendOptions { BaseAddress = _resend.BaseAddress, ApiKey = "re_test_key" });
        var result = await client.SendAsync(new ResendEmail("a@resend.test", ["b@example.com"], subject, Text: "x"), "send_x", CancellationToken.None);
        Assert.Equal((status, name), (result.Status, result.ErrorName));
        Assert.False(result.Succeeded);
    }
}
