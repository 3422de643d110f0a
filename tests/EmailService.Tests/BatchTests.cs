using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Send.TestSupport;

namespace Send.EmailService.Tests;

public sealed class BatchTests(EmailCluster cluster) : IClassFixture<EmailCluster>, IAsyncLifetime
{
    public Task InitializeAsync() => cluster.AddDomainAsync("batch.test");

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Valid(int i) => new { from = "a@batch.test", to = $"r{i}@example.com", subject = $"batch {i}", text = "t" };

    private static readonly object Invalid = new { from = "a@batch.test", to = "not-an-address", subject = "s", text = "t" };

    [Fact]
    public async Task Strict_validation_stores_nothing_when_one_email_is_invalid_and_names_it()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var before = await cluster.EmailCountAsync();

        using var response = await api.PostAsJsonAsync("/v1/emails/batch", new[] { Valid(0), Invalid, Valid(2) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("[1].to", out _), problem.ToString());
        Assert.Equal(before, await cluster.EmailCountAsync());
    }

    [Fact]
    public async Task Permissive_validation_stores_the_valid_emails_and_lists_the_others_by_index()
    {
        using var api = cluster.CreateAuthenticatedClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/emails/batch") { Content = JsonContent.Create(new[] { Valid(0), Invalid, Valid(2) }) };
        request.Headers.Add("x-batch-validation", "permissive");

        using var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.Contains("not-an-address", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thousand_emails_are_accepted_in_one_request_and_all_sent()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var before = await cluster.EmailCountAsync();

        using var response = await api.PostAsJsonAsync("/v1/emails/batch", Enumerable.Range(0, 1000).Select(Valid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(before + 1000, await cluster.EmailCountAsync());
        await Eventually.Until(async () => (await cluster.Mail.MessagesAsync()).Count(m => m.Subject.StartsWith("batch ", StringComparison.Ordinal)),
            count => count >= 1000, TimeSpan.FromMinutes(3), "all 1,000 to reach the SMTP server");
    }

    [Fact]
    public async Task More_than_a_thousand_emails_or_none_are_refused()
    {
        using var api = cluster.CreateAuthenticatedClient();

        using var tooMany = await api.PostAsJsonAsync("/v1/emails/batch", Enumerable.Range(0, 1001).Select(Valid));
        using var none = await api.PostAsJsonAsync("/v1/emails/batch", Array.Empty<object>());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, none.StatusCode);
    }
}
