using System.Net;
using System.Text;
using System.Text.Json;

namespace Send.EmailService.Tests;

/// <summary>
/// Every malformed send gets a problem-details 4xx that names the offending field, and writes
/// nothing. (400: the body could not be read as the request; 422: it was read and is wrong.)
/// </summary>
public sealed class BadInputTests(EmailCluster cluster) : IClassFixture<EmailCluster>, IAsyncLifetime
{
    private const string Ok = """ "from":"a@bad-input.test","subject":"s","text":"t" """;

    // A verified domain, so that only the malformation under test can be what is refused.
    public Task InitializeAsync() => cluster.AddDomainAsync("bad-input.test");

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, int, string> Cases() => new()
    {
        { "not JSON", "hello", 400, "" },
        { "truncated JSON", """{"from":""", 400, "" },
        { "an array, not an object", "[]", 400, "" },
        { "from is a number", """{"from":5,"to":"x@example.com","subject":"s","text":"t"}""", 400, "from" },
        { "to is a number", $$"""{"to":5,{{Ok}}}""", 400, "to" },
        { "to holds a number", $$"""{"to":[1],{{Ok}}}""", 400, "to" },
        { "headers is a string", $$"""{"to":"x@example.com","headers":"x",{{Ok}}}""", 400, "headers" },
        { "attachments is an object", $$"""{"to":"x@example.com","attachments":{},{{Ok}}}""", 400, "attachments" },
        { "tags is a string", $$"""{"to":"x@example.com","tags":"a",{{Ok}}}""", 400, "tags" },
        { "subject is an object", """{"from":"a@bad-input.test","to":"x@example.com","subject":{},"text":"t"}""", 400, "subject" },
        { "from missing", """{"to":"x@example.com","subject":"s","text":"t"}""", 422, "from" },
        { "to missing", $$"""{{{Ok}}}""", 422, "to" },
        { "to empty", $$"""{"to":[],{{Ok}}}""", 422, "to" },
        { "subject missing", """{"from":"a@bad-input.test","to":"x@example.com","text":"t"}""", 422, "subject" },
        { "no html and no text", """{"from":"a@bad-input.test","to":"x@example.com","subject":"s"}""", 422, "html" },
        { "from not an address", """{"from":"not-an-address","to":"x@example.com","subject":"s","text":"t"}""", 422, "from" },
        { "from domain of one label", """{"from":"a@localhost","to":"x@example.com","subject":"s","text":"t"}""", 422, "from" },
        { "from with two @", """{"from":"a@@bad-input.test","to":"x@example.com","subject":"s","text":"t"}""", 422, "from" },
        { "to with an injected header", $$"""{"to":"x@example.com\r\nBcc: evil@example.com",{{Ok}}}""", 422, "to" },
        { "to with two addresses in one string", $$"""{"to":"a@example.com, b@example.com",{{Ok}}}""", 422, "to" },
        { "to with a non-ASCII local part", $$"""{"to":"jösé@example.com",{{Ok}}}""", 422, "to" },
        { "51 recipients in to", $$"""{"to":{{Addresses(51)}},{{Ok}}}""", 422, "to" },
        { "51 recipients across to and cc", $$"""{"to":{{Addresses(30)}},"cc":{{Addresses(21)}},{{Ok}}}""", 422, "to" },
        { "cc invalid", $$"""{"to":"x@example.com","cc":"nope",{{Ok}}}""", 422, "cc" },
        { "second bcc invalid", $$"""{"to":"x@example.com","bcc":["y@example.com","nope"],{{Ok}}}""", 422, "bcc[1]" },
        { "reply_to invalid", $$"""{"to":"x@example.com","reply_to":"nope",{{Ok}}}""", 422, "reply_to" },
        { "subject with CR LF", """{"from":"a@bad-input.test","to":"x@example.com","subject":"a\r\nBcc: evil@example.com","text":"t"}""", 422, "subject" },
        { "subject of 999 characters", $$"""{"from":"a@bad-input.test","to":"x@example.com","subject":"{{new string('s', 999)}}","text":"t"}""", 422, "subject" },
        { "header name with a colon", $$"""{"to":"x@example.com","headers":{"X:Y":"v"},{{Ok}}}""", 422, "headers.X:Y" },
        { "header name with a space", $$"""{"to":"x@example.com","headers":{"X Y":"v"},{{Ok}}}""", 422, "headers.X Y" },
        { "header value with CR LF", $$"""{"to":"x@example.com","headers":{"X-A":"v\r\nBcc: evil@example.com"},{{Ok}}}""", 422, "headers.X-A" },
        { "header that Send sets itself", $$"""{"to":"x@example.com","headers":{"Message-ID":"<x@y>"},{{Ok}}}""", 422, "headers.Message-ID" },
        { "51 headers", $$"""{"to":"x@example.com","headers":{{Headers(51)}},{{Ok}}}""", 422, "headers" },
        { "attachment without filename", $$"""{"to":"x@example.com","attachments":[{"content":"aGk="}],{{Ok}}}""", 422, "attachments[0].filename" },
        { "attachment filename with a path", $$"""{"to":"x@example.com","attachments":[{"filename":"../etc/passwd","content":"aGk="}],{{Ok}}}""", 422, "attachments[0].filename" },
        { "attachment without content", $$"""{"to":"x@example.com","attachments":[{"filename":"a.txt"}],{{Ok}}}""", 422, "attachments[0].content" },
        { "attachment content not base64", $$"""{"to":"x@example.com","attachments":[{"filename":"a.txt","content":"%%%"}],{{Ok}}}""", 422, "attachments[0].content" },
        { "attachment by URL", $$"""{"to":"x@example.com","attachments":[{"filename":"a.txt","path":"http://169.254.169.254/"}],{{Ok}}}""", 422, "attachments[0].path" },
        { "attachment by URL to a private address", $$"""{"to":"x@example.com","attachments":[{"filename":"a.txt","path":"http://10.0.0.1/a.txt"}],{{Ok}}}""", 422, "attachments[0].path" },
        { "attachment by a URL that is not http", $$"""{"to":"x@example.com","attachments":[{"filename":"a.txt","path":"file:///etc/passwd"}],{{Ok}}}""", 422, "attachments[0].path" },
        { "attachment with both content and path", $$"""{"to":"x@example.com","attachments":[{"filename":"a.txt","content":"aGk=","path":"https://example.com/a.txt"}],{{Ok}}}""", 422, "attachments[0].path" },
        { "attachment content_type nonsense", $$"""{"to":"x@example.com","attachments":[{"filename":"a","content":"aGk=","content_type":"nonsense"}],{{Ok}}}""", 422, "attachments[0].content_type" },
        { "attachment content_id with a space", $$"""{"to":"x@example.com","attachments":[{"filename":"a.png","content":"aGk=","content_id":"a b"}],{{Ok}}}""", 422, "attachments[0].content_id" },
        { "tag name with a space", $$"""{"to":"x@example.com","tags":[{"name":"a b","value":"c"}],{{Ok}}}""", 422, "tags[0]" },
        { "tag without value", $$"""{"to":"x@example.com","tags":[{"name":"a"}],{{Ok}}}""", 422, "tags[0]" },
        { "scheduled_at not a date", $$"""{"to":"x@example.com","scheduled_at":"tomorrow",{{Ok}}}""", 422, "scheduled_at" },
        { "scheduled_at in the past", $$"""{"to":"x@example.com","scheduled_at":"2020-01-01T00:00:00Z",{{Ok}}}""", 422, "scheduled_at" },
        { "scheduled_at 40 days ahead", $$"""{"to":"x@example.com","scheduled_at":"{{DateTimeOffset.UtcNow.AddDays(40):O}}",{{Ok}}}""", 422, "scheduled_at" },
        { "priority unknown", $$"""{"to":"x@example.com","priority":"urgent",{{Ok}}}""", 422, "priority" },
        { "unknown template", """{"from":"a@bad-input.test","to":"x@example.com","subject":"s","template":{"id":"tmpl_x"}}""", 422, "template.id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_send_is_refused_naming_the_field_and_nothing_is_stored(string why, string body, int status, string field)
    {
        using var api = cluster.CreateAuthenticatedClient();
        var before = await cluster.EmailCountAsync();

        using var response = await api.PostAsync(new Uri("/v1/emails", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True((int)response.StatusCode == status, $"{why}: {(int)response.StatusCode} {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("validation_error", problem.GetProperty("name").GetString());
        if (field.Length > 0)
        {
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{why}: no error for '{field}' in {errors}");
        }

        Assert.Equal(before, await cluster.EmailCountAsync());
    }

    [Fact]
    public async Task An_email_over_40_MB_is_refused()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var content = Convert.ToBase64String(new byte[41 * 1024 * 1024]);
        var body = $$"""{"to":"x@example.com","attachments":[{"filename":"big.bin","content":"{{content}}"}],{{Ok}}}""";

        using var response = await api.PostAsync(new Uri("/v1/emails", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("40 MB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string Addresses(int count) => JsonSerializer.Serialize(Enumerable.Range(1, count).Select(i => $"r{i}@example.com"));

    private static string Headers(int count) => JsonSerializer.Serialize(Enumerable.Range(1, count).ToDictionary(i => $"X-H{i}", i => "v"));
}
