using System.Net.Http.Json;
using System.Text.Json;
using Send.TestSupport;

namespace Send.EmailService.Tests;

/// <summary>
/// The official <c>resend</c> npm SDK, unchanged, pointed at the Gateway's <c>/v1</c>: it is
/// the judge of whether Send speaks Resend's wire format (tests/peers/resend-emails.mjs).
/// </summary>
public sealed class ResendSdkTests(EmailCluster cluster) : IClassFixture<EmailCluster>
{
    [Fact]
    public async Task The_resend_SDK_sends_batches_reads_lists_reschedules_and_cancels_without_an_error()
    {
        await cluster.AddDomainAsync("sdk.test");
        var results = await RunAsync("resend-emails.mjs", "Send SDK <sdk@sdk.test>");
        var id = results.GetProperty("send").GetProperty("id").GetString()!;
        Assert.StartsWith("send_", id, StringComparison.Ordinal);
        Assert.Equal(id, results.GetProperty("send_again").GetProperty("id").GetString());

        var email = results.GetProperty("get");
        Assert.Equal("email", email.GetProperty("object").GetString());
        Assert.Equal(id, email.GetProperty("id").GetString());
        Assert.Equal("\"Send SDK\" <sdk@sdk.test>", email.GetProperty("from").GetString());
        Assert.Equal(["sdk@example.com"], email.GetProperty("to").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("<p>hi</p>", email.GetProperty("html").GetString());
        Assert.True(email.TryGetProperty("created_at", out _));
        Assert.True(email.TryGetProperty("last_event", out _));

        var list = results.GetProperty("list");
        Assert.Equal("list", list.GetProperty("object").GetString());
        Assert.Equal(JsonValueKind.False, list.GetProperty("has_more").ValueKind);
        Assert.Contains(list.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);

        var batch = results.GetProperty("batch").GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(2, batch.Count);
        Assert.All(batch, b => Assert.StartsWith("send_", b, StringComparison.Ordinal));

        var scheduled = results.GetProperty("send_scheduled").GetProperty("id").GetString();
        Assert.Equal(scheduled, results.GetProperty("update").GetProperty("id").GetString());
        Assert.Equal("email", results.GetProperty("cancel").GetProperty("object").GetString());
        Assert.Equal("canceled", results.GetProperty("get_canceled").GetProperty("last_event").GetString());

        var conflict = results.GetProperty("conflict_error");
        Assert.Equal("invalid_idempotent_request", conflict.GetProperty("name").GetString());
        Assert.Equal(409, conflict.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task The_resend_SDK_creates_publishes_duplicates_removes_and_sends_with_a_template()
    {
        await cluster.AddDomainAsync("sdk-templates.test");
        var results = await RunAsync("resend-templates.mjs", "Shop <shop@sdk-templates.test>");

        var id = results.GetProperty("create").GetProperty("id").GetString()!;
        Assert.Equal("template", results.GetProperty("create").GetProperty("object").GetString());
        var template = results.GetProperty("get");
        Assert.Equal(id, results.GetProperty("get_by_alias").GetProperty("id").GetString());
        Assert.Equal("\"Shop\" <shop@sdk-templates.test>", template.GetProperty("from").GetString());
        var name = template.GetProperty("variables").EnumerateArray().Single(v => v.GetProperty("key").GetString() == "NAME");
        Assert.Equal("there", name.GetProperty("fallback_value").GetString());
        Assert.Contains(results.GetProperty("list").GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.Equal(2, results.GetProperty("get_published").GetProperty("published_version").GetInt32());
        Assert.False(results.GetProperty("get_published").GetProperty("has_unpublished_versions").GetBoolean());
        Assert.True(results.GetProperty("remove").GetProperty("deleted").GetBoolean());

        using var api = cluster.CreateAuthenticatedClient();
        var sent = results.GetProperty("send").GetProperty("id").GetString();
        var email = await api.GetFromJsonAsync<JsonElement>($"/v1/emails/{sent}");
        Assert.Equal("Your order A-1001 shipped", email.GetProperty("subject").GetString());
        Assert.Equal("<p>Hi there, order A-1001 is on its way.</p>", email.GetProperty("html").GetString());
        Assert.Equal("\"Shop\" <shop@sdk-templates.test>", email.GetProperty("from").GetString());
    }

    [Fact]
    public async Task The_resend_SDK_creates_reads_lists_updates_verifies_and_removes_a_domain()
    {
        var results = await RunAsync("resend-domains.mjs", "unused@sdk.test", ("SEND_DOMAIN", "sdk-domain.test"));

        var created = results.GetProperty("create");
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("dom_", id, StringComparison.Ordinal);
        Assert.Equal(("sdk-domain.test", "eu-west-1"), (created.GetProperty("name").GetString(), created.GetProperty("region").GetString()));
        var records = created.GetProperty("records").EnumerateArray().ToList();
        Assert.Contains(records, r => r.GetProperty("record").GetString() == "DKIM" && r.GetProperty("type").GetString() == "TXT");
        Assert.Contains(records, r => r.GetProperty("name").GetString() == "outbound" && r.GetProperty("value").GetString() == "feedback-smtp.eu-west-1.amazonses.com");
        Assert.Equal("domain", results.GetProperty("get").GetProperty("object").GetString());
        Assert.Contains(results.GetProperty("list").GetProperty("data").EnumerateArray(), d => d.GetProperty("id").GetString() == id);
        Assert.Equal(id, results.GetProperty("update").GetProperty("id").GetString());
        Assert.Equal(id, results.GetProperty("verify").GetProperty("id").GetString());
        Assert.True(results.GetProperty("remove").GetProperty("deleted").GetBoolean());
    }

    private async Task<JsonElement> RunAsync(string script, string from, params (string Name, string Value)[] extra)
    {
        var env = new Dictionary<string, string?>
        {
            ["RESEND_BASE_URL"] = new Uri(cluster.Gateway.BaseAddress, "/v1").ToString().TrimEnd('/'),
            ["RESEND_API_KEY"] = cluster.BootstrapKey,
            ["SEND_FROM"] = from,
        };
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }

        using var node = new ExternalProcess("resend-sdk", "node", [Path.Combine(Repository.Root, "tests", "peers", script)], env);
        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, node.Output);
        return JsonDocument.Parse(node.Output.Split('\n').Last(l => l.StartsWith('{'))).RootElement;
    }
}
