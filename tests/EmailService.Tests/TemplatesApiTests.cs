using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Send.TestSupport;
using static Send.TestSupport.HttpJson;

namespace Send.EmailService.Tests;

/// <summary>
/// Templates through the Gateway: versions, publishing, aliases, layouts and partials,
/// previews, the refusals, isolation between organizations, and a send that delivers the
/// rendered content to a real SMTP server.
/// </summary>
public sealed class TemplatesApiTests(EmailCluster cluster) : IClassFixture<EmailCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_content_change_is_a_new_version_and_publishing_picks_the_one_that_sends()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var (created, template) = await SendAsync(api, HttpMethod.Post, "/v1/templates", new
        {
            name = "Welcome", alias = "welcome-v", subject = "Hi {{user.name}}",
            html = "<p>Hi {{user.name}}</p>{{#each items}}<li>{{title}}</li>{{/each}}{{#if vip}}{{perk}}{{/if}}",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = template.GetProperty("id").GetString()!;
        Assert.StartsWith("tmpl_", id, StringComparison.Ordinal);
        Assert.Equal(("draft", 1), (template.GetProperty("status").GetString(), template.GetProperty("version").GetInt32()));
        Assert.Equal(JsonValueKind.Null, template.GetProperty("published_version").ValueKind);
        Assert.Equal(
            ["items:list:True", "items[].title:value:True", "perk:value:False", "user:object:True", "user.name:value:True", "vip:value:False"],
            template.GetProperty("variables").EnumerateArray().Select(v => $"{v.GetProperty("name")}:{v.GetProperty("type")}:{v.GetProperty("required").GetBoolean()}"));

        var byAlias = await api.GetFromJsonAsync<JsonElement>("/v1/templates/welcome-v");
        Assert.Equal(id, byAlias.GetProperty("id").GetString());

        var (_, patched) = await SendAsync(api, HttpMethod.Patch, $"/v1/templates/{id}", new { subject = "Hello {{user.name}}" });
        Assert.Equal(2, patched.GetProperty("version").GetInt32());
        Assert.Contains("{{#each items}}", patched.GetProperty("html").GetString(), StringComparison.Ordinal);

        var (_, renamed) = await SendAsync(api, HttpMethod.Patch, $"/v1/templates/{id}", new { name = "Welcome!" });
        Assert.Equal((2, "Welcome!"), (renamed.GetProperty("version").GetInt32(), renamed.GetProperty("name").GetString()));

        var (_, replaced) = await SendAsync(api, HttpMethod.Put, $"/v1/templates/{id}", new { name = "Welcome!", alias = "welcome-v", text = "Plain {{user.name}}" });
        Assert.Equal(3, replaced.GetProperty("version").GetInt32());
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("html").ValueKind);
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("subject").ValueKind);

        var (published, afterPublish) = await SendAsync(api, HttpMethod.Post, $"/v1/templates/{id}/publish", new { version = 2 });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(("active", 2), (afterPublish.GetProperty("status").GetString(), afterPublish.GetProperty("published_version").GetInt32()));

        var versions = await api.GetFromJsonAsync<JsonElement>($"/v1/templates/{id}/versions");
        Assert.Equal([3, 2, 1], versions.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal([false, true, false], versions.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("published").GetBoolean()));
        Assert.Equal("Hi {{user.name}}", versions.GetProperty("data")[2].GetProperty("subject").GetString());
        var older = await api.GetFromJsonAsync<JsonElement>($"/v1/templates/{id}/versions?limit=1&after=3");
        Assert.Equal(2, Assert.Single(older.GetProperty("data").EnumerateArray()).GetProperty("version").GetInt32());
        Assert.True(older.GetProperty("has_more").GetBoolean());

        var (_, preview) = await SendAsync(api, HttpMethod.Post, $"/v1/templates/{id}/render", new { version = 2, variables = new { user = new { name = "Ann <3" }, items = new[] { new { title = "Tea" } } } });
        Assert.Equal("Hello Ann <3", preview.GetProperty("subject").GetString());
        Assert.Equal("<p>Hi Ann &lt;3</p><li>Tea</li>", preview.GetProperty("html").GetString());
        Assert.Equal("Hi Ann <3\n\n- Tea", preview.GetProperty("text").GetString());

        var (copied, copy) = await SendAsync(api, HttpMethod.Post, $"/v1/templates/{id}/duplicate", new { alias = "welcome-copy" });
        Assert.Equal(HttpStatusCode.Created, copied.StatusCode);
        Assert.Equal(("Welcome! (copy)", "draft", 1), (copy.GetProperty("name").GetString(), copy.GetProperty("status").GetString(), copy.GetProperty("version").GetInt32()));
        Assert.Equal("Plain {{user.name}}", copy.GetProperty("text").GetString());

        var list = await api.GetFromJsonAsync<JsonElement>("/v1/templates?limit=100");
        Assert.Contains(list.GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == id);

        var (deleted, gone) = await SendAsync(api, HttpMethod.Delete, $"/v1/templates/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True(gone.GetProperty("deleted").GetBoolean());
        Assert.Equal("archived", (await api.GetFromJsonAsync<JsonElement>($"/v1/templates/{id}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/v1/templates/welcome-v")).StatusCode);
        Assert.DoesNotContain((await api.GetFromJsonAsync<JsonElement>("/v1/templates?limit=100")).GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(api, HttpMethod.Patch, $"/v1/templates/{id}", new { subject = "x" })).Response.StatusCode);
        Assert.Equal(3, (await api.GetFromJsonAsync<JsonElement>($"/v1/templates/{id}/versions")).GetProperty("data").GetArrayLength());

        var (reused, _) = await SendAsync(api, HttpMethod.Post, "/v1/templates", new { name = "Reuses the alias", alias = "welcome-v", text = "x" });
        Assert.Equal(HttpStatusCode.Created, reused.StatusCode);
    }

    [Fact]
    public async Task Sending_with_a_template_delivers_its_layout_partials_and_escaped_variables()
    {
        await cluster.AddDomainAsync("templated.test");
        using var api = cluster.CreateAuthenticatedClient();
        await CreateAsync(api, new { name = "Footer", kind = "partial", alias = "legal-footer", html = "<small>&copy; {{company}}</small>", text = "(c) {{company}}" });
        var layout = await CreateAsync(api, new { name = "Brand", kind = "layout", alias = "brand-layout",
            html = "<html><body><h1>{{company}}</h1>{{{@content}}}<footer>{{> legal-footer}}</footer></body></html>" });
        var template = await CreateAsync(api, new
        {
            name = "Receipt", alias = "receipt", layout_id = "brand-layout", subject = "Receipt {{order.number}} for {{customer.name}}",
            html = "<p>Thanks {{customer.name}}</p><ul>{{#each order.lines}}<li>{{sku}} × {{qty}}</li>{{/each}}</ul>",
            defaults = new { company = "Acme" }, publish = true,
        });
        Assert.Equal(1, template.GetProperty("published_version").GetInt32());
        Assert.Equal(layout.GetProperty("id").GetString(), template.GetProperty("layout_id").GetString());

        var token = Guid.NewGuid().ToString("N")[..8];
        var (sent, accepted) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new
        {
            from = "shop@templated.test", to = "buyer@example.com",
            template = new
            {
                id = "receipt",
                variables = new { customer = new { name = "Zoë <script>" }, order = new { number = token, lines = new object[] { new { sku = "TEA", qty = 2 }, new { sku = "CAKE", qty = 1 } } } },
            },
        });
        Assert.True(sent.StatusCode == HttpStatusCode.OK, accepted.ToString());
        var id = accepted.GetProperty("id").GetString();

        var stored = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/emails/{id}"), e => e.GetProperty("last_event").GetString() == "sent", Patience, "the templated email to be sent");
        var subject = $"Receipt {token} for Zoë <script>";
        Assert.Equal(subject, stored.GetProperty("subject").GetString());

        var received = await Eventually.Until(cluster.Mail.MessagesAsync, m => m.Any(x => x.Subject == subject), Patience, "the templated message at the SMTP server");
        var message = await cluster.Mail.RawAsync(received.Single(m => m.Subject == subject).Id);
        Assert.Equal(
            "<html><body><h1>Acme</h1><p>Thanks Zoë &lt;script&gt;</p><ul><li>TEA × 2</li><li>CAKE × 1</li></ul><footer><small>&copy; Acme</small></footer></body></html>",
            message.HtmlBody);
        Assert.Equal("Acme\n\nThanks Zoë <script>\n\n- TEA × 2\n- CAKE × 1\n\n© Acme", message.TextBody?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim());
    }

    [Fact]
    public async Task A_send_is_refused_with_field_errors_and_nothing_stored_when_the_template_cannot_render()
    {
        await cluster.AddDomainAsync("templated-refusals.test");
        using var api = cluster.CreateAuthenticatedClient();
        var draft = await CreateAsync(api, new { name = "Never published", text = "{{x}}" });
        await CreateAsync(api, new { name = "Needs", alias = "needs-vars", subject = "For {{user.name}}", text = "{{#each lines}}{{sku}}{{/each}}", publish = true });
        await CreateAsync(api, new { name = "A layout", kind = "layout", alias = "refusal-layout", html = "{{{@content}}}" });
        var before = await cluster.EmailCountAsync();

        async Task Refused(object template, string field, string? subject = null, string? html = null)
        {
            var (response, problem) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "a@templated-refusals.test", to = "x@example.com", subject, html, template });
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{template}: {response.StatusCode} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
        }

        await Refused(new { id = "needs-vars", variables = new { lines = new[] { new { sku = (string?)"A" }, new { sku = (string?)null } } } }, "template.variables.user");
        await Refused(new { id = "needs-vars", variables = new { user = new { }, lines = Array.Empty<object>() } }, "template.variables.user.name");
        await Refused(new { id = "needs-vars", variables = new { user = new { name = "n" }, lines = new[] { new { qty = 1 } } } }, "template.variables.lines[0].sku");
        await Refused(new { id = "no-such-template" }, "template.id");
        await Refused(new { id = draft.GetProperty("id").GetString() }, "template.version");
        await Refused(new { id = "needs-vars", version = 7, variables = new { user = new { name = "n" } } }, "template.version");
        await Refused(new { id = "refusal-layout" }, "template.id");
        await Refused(new { id = "needs-vars", variables = new { user = new { name = "n" } } }, "template", html: "<p>both</p>");
        await Refused(new { variables = new { } }, "template.id", subject: "s");
        Assert.Equal(before, await cluster.EmailCountAsync());

        // A named version sends even when another is published; the request's subject wins.
        var (ok, body) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new
        {
            from = "a@templated-refusals.test", to = "x@example.com", subject = "Own subject",
            template = new { id = draft.GetProperty("id").GetString(), version = 1, variables = new { x = "y" } },
        });
        Assert.True(ok.StatusCode == HttpStatusCode.OK, body.ToString());
    }

    [Fact]
    public async Task Bad_template_writes_get_a_field_level_answer_and_write_nothing()
    {
        using var api = cluster.CreateAuthenticatedClient();
        await CreateAsync(api, new { name = "Taken", alias = "taken-alias", text = "x" });
        var layout = await CreateAsync(api, new { name = "In use", kind = "layout", alias = "used-layout", html = "<div>{{{@content}}}</div>" });
        await CreateAsync(api, new { name = "User", layout_id = "used-layout", html = "<p>x</p>" });
        var before = await cluster.CountAsync("SELECT count(*) FROM templates") + await cluster.CountAsync("SELECT count(*) FROM template_versions");

        var cases = new (object Body, HttpStatusCode Status, string Field)[]
        {
            (new { name = "Bad", html = "<p>\n{{#if user}}\n<b>hi</b>" }, HttpStatusCode.UnprocessableEntity, "html"),
            (new { name = "Bad", html = "{{user.name" }, HttpStatusCode.UnprocessableEntity, "html"),
            (new { name = "Bad", subject = "{{/each}}", text = "x" }, HttpStatusCode.UnprocessableEntity, "subject"),
            (new { name = "Bad", html = "{{shout name}}" }, HttpStatusCode.UnprocessableEntity, "html"),
            (new { name = "Bad", html = new string('x', 600 * 1024) }, HttpStatusCode.UnprocessableEntity, "html"),
            (new { name = "Bad" }, HttpStatusCode.UnprocessableEntity, "html"),
            (new { html = "x" }, HttpStatusCode.UnprocessableEntity, "name"),
            (new { name = 5, html = "x" }, HttpStatusCode.UnprocessableEntity, "name"),
            (new { name = "Bad", html = "x", colour = "red" }, HttpStatusCode.UnprocessableEntity, "colour"),
            (new { name = "Bad", html = "x", alias = "Has Spaces" }, HttpStatusCode.UnprocessableEntity, "alias"),
            (new { name = "Bad", html = "x", alias = "tmpl_lookalike" }, HttpStatusCode.UnprocessableEntity, "alias"),
            (new { name = "Bad", html = "x", kind = "newsletter" }, HttpStatusCode.UnprocessableEntity, "kind"),
            (new { name = "Bad", html = "x", defaults = "nope" }, HttpStatusCode.UnprocessableEntity, "defaults"),
            (new { name = "Bad", html = "x", inline_css = "yes" }, HttpStatusCode.UnprocessableEntity, "inline_css"),
            (new { name = "Bad", kind = "layout", html = "<div>{{content}}</div>" }, HttpStatusCode.UnprocessableEntity, "html"),
            (new { name = "Bad", kind = "partial", html = "x" }, HttpStatusCode.UnprocessableEntity, "alias"),
            (new { name = "Bad", html = "{{> missing-partial}}" }, HttpStatusCode.UnprocessableEntity, "html"),
            (new { name = "Bad", html = "x", layout_id = "no-such-layout" }, HttpStatusCode.UnprocessableEntity, "layout_id"),
            (new { name = "Bad", html = "x", subject = "two\nlines" }, HttpStatusCode.UnprocessableEntity, "subject"),
            (new { name = "Dup", html = "x", alias = "taken-alias" }, HttpStatusCode.Conflict, ""),
        };
        foreach (var (body, status, field) in cases)
        {
            var (response, problem) = await SendAsync(api, HttpMethod.Post, "/v1/templates", body);
            Assert.True(response.StatusCode == status, $"{JsonSerializer.Serialize(body)[..Math.Min(120, JsonSerializer.Serialize(body).Length)]}: {response.StatusCode} {problem}");
            if (field.Length > 0)
            {
                Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
            }
        }

        var (malformed, position) = await SendAsync(api, HttpMethod.Post, "/v1/templates", new { name = "Bad", html = "<p>\n{{#if user}}\n<b>hi</b>" });
        Assert.Contains("line 2", position.GetProperty("errors").GetProperty("html")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);

        using var notJson = await api.PostAsync("/v1/templates", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        var layoutId = layout.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(api, HttpMethod.Delete, $"/v1/templates/{layoutId}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(api, HttpMethod.Patch, $"/v1/templates/{layoutId}", new { kind = "standard" })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(api, HttpMethod.Post, $"/v1/templates/{layoutId}/publish", new { version = 9 })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(api, HttpMethod.Get, "/v1/templates/tmpl_unknown")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(api, HttpMethod.Get, "/v1/templates?limit=0")).Response.StatusCode);
        Assert.Equal(before, await cluster.CountAsync("SELECT count(*) FROM templates") + await cluster.CountAsync("SELECT count(*) FROM template_versions"));

        var (strict, missing) = await SendAsync(api, HttpMethod.Post, "/v1/templates/taken-alias/render", new { strict = true });
        Assert.Equal(HttpStatusCode.OK, strict.StatusCode);
        Assert.Empty(missing.GetProperty("missing_variables").EnumerateArray());
        var needs = await CreateAsync(api, new { name = "Needs", text = "{{a.b}} {{c}}" });
        var (refused, problemOfStrict) = await SendAsync(api, HttpMethod.Post, $"/v1/templates/{needs.GetProperty("id")}/render", new { strict = true, variables = new { c = 1 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.True(problemOfStrict.GetProperty("errors").TryGetProperty("variables.a", out _), problemOfStrict.ToString());
        var (_, lenient) = await SendAsync(api, HttpMethod.Post, $"/v1/templates/{needs.GetProperty("id")}/render", new { variables = new { c = 1 } });
        Assert.Equal(["a"], lenient.GetProperty("missing_variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(" 1", lenient.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Another_organization_cannot_see_use_change_or_archive_a_template()
    {
        await cluster.AddDomainAsync("isolated-templates.test");
        using var a = cluster.CreateAuthenticatedClient();
        var template = await CreateAsync(a, new { name = "Private", alias = "private-tpl", text = "secret {{x}}", publish = true });
        var id = template.GetProperty("id").GetString()!;
        using var b = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("templates:read", "templates:write", "emails:send", "emails:read"));

        var listed = await b.GetFromJsonAsync<JsonElement>("/v1/templates?limit=100");
        Assert.DoesNotContain(listed.GetProperty("data").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Get, $"/v1/templates/{id}", null), (HttpMethod.Get, "/v1/templates/private-tpl", null),
                     (HttpMethod.Patch, $"/v1/templates/{id}", new { text = "hijacked" }), (HttpMethod.Put, $"/v1/templates/{id}", new { name = "x", text = "y" }),
                     (HttpMethod.Post, $"/v1/templates/{id}/publish", null), (HttpMethod.Post, $"/v1/templates/{id}/duplicate", null),
                     (HttpMethod.Get, $"/v1/templates/{id}/versions", null), (HttpMethod.Post, $"/v1/templates/{id}/render", new { }),
                     (HttpMethod.Delete, $"/v1/templates/{id}", null),
                 })
        {
            var (response, problem) = await SendAsync(b, method, path, body);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode} {problem}");
        }

        // B may use the same alias for its own template; a layout of A is not B's to use.
        await CreateAsync(b, new { name = "B's own", alias = "private-tpl", text = "b" });
        var (layoutRefused, _) = await SendAsync(b, HttpMethod.Post, "/v1/templates", new { name = "x", html = "y", layout_id = id });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, layoutRefused.StatusCode);

        var (sendRefused, problemOfSend) = await SendAsync(b, HttpMethod.Post, "/v1/emails", new { from = "b@isolated-templates.test", to = "x@example.com", template = new { id } });
        Assert.True(sendRefused.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Forbidden, problemOfSend.ToString());

        var mine = await a.GetFromJsonAsync<JsonElement>($"/v1/templates/{id}");
        Assert.Equal(("secret {{x}}", "active"), (mine.GetProperty("text").GetString(), mine.GetProperty("status").GetString()));
    }

    private static async Task<JsonElement> CreateAsync(HttpClient api, object body)
    {
        var (response, template) = await SendAsync(api, HttpMethod.Post, "/v1/templates", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, template.ToString());
        return template;
    }
}
