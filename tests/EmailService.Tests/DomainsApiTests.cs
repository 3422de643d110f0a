using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Send.TestSupport;
using static Send.TestSupport.HttpJson;

namespace Send.EmailService.Tests;

/// <summary>
/// Sending domains against a real DNS server (dnsmasq on loopback): records generated, checked
/// one by one, verified when published, noticed when broken; DKIM checked by mailauth on a
/// message Send signed and delivered; refusals and isolation between organizations.
/// </summary>
public sealed class DomainsApiTests(EmailCluster cluster) : IClassFixture<EmailCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_domain_verifies_once_its_records_are_published_and_its_mail_carries_a_DKIM_signature_that_DNS_confirms()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var (created, domain) = await SendAsync(api, HttpMethod.Post, "/v1/domains", new { name = "Verify-Me.test" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = domain.GetProperty("id").GetString()!;
        Assert.Equal(("verify-me.test", "pending"), (domain.GetProperty("name").GetString(), domain.GetProperty("status").GetString()));
        var records = domain.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["DKIM:TXT:send1._domainkey", "SPF:MX:send", "SPF:TXT:send", "DMARC:TXT:_dmarc", "Ownership:TXT:_send-verification"],
            records.Select(r => $"{r.GetProperty("record")}:{r.GetProperty("type")}:{r.GetProperty("name")}"));
        var dkim = records[0];
        Assert.StartsWith("v=DKIM1; k=rsa; p=MIIBIjAN", dkim.GetProperty("value").GetString(), StringComparison.Ordinal);
        var dkimStrings = dkim.GetProperty("value_strings").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.True(dkimStrings.Length == 2 && dkimStrings.All(v => v.Length <= 255), "a 2048-bit key needs two 255-byte strings");
        Assert.Equal("feedback-smtp.us-east-1.amazonses.com", records[1].GetProperty("value").GetString());
        Assert.Equal(10, records[1].GetProperty("priority").GetInt32());

        var sealedKey = (string)(await cluster.ScalarAsync($"SELECT dkim_private_key_sealed FROM domains WHERE id = '{id}'"))!;
        Assert.StartsWith("v1.", sealedKey, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", sealedKey, StringComparison.Ordinal);
        Assert.DoesNotContain("private", domain.ToString(), StringComparison.OrdinalIgnoreCase);

        var (_, unpublished) = await SendAsync(api, HttpMethod.Post, $"/v1/domains/{id}/verify");
        Assert.Equal("pending", unpublished.GetProperty("status").GetString());
        Assert.All(unpublished.GetProperty("records").EnumerateArray(), r => Assert.Equal("failed", r.GetProperty("status").GetString()));
        Assert.Contains("does not exist", unpublished.GetProperty("records")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);

        await cluster.Dns.PublishAsync(Published(domain));
        var (_, verified) = await SendAsync(api, HttpMethod.Post, $"/v1/domains/{id}/verify");
        Assert.True(verified.GetProperty("status").GetString() == "verified", verified.ToString());
        Assert.All(verified.GetProperty("records").EnumerateArray(), r => Assert.Equal("verified", r.GetProperty("status").GetString()));
        var missing = await api.GetFromJsonAsync<JsonElement>($"/v1/domains/{id}/verify");
        Assert.Empty(missing.GetProperty("missing_records").EnumerateArray());

        // Send from it: the message arrives DKIM-signed, and mailauth verifies it with the key published in DNS.
        var subject = $"Signed {Guid.NewGuid():N}";
        var (sent, accepted) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "Shop <hello@verify-me.test>", to = "dkim@example.com", subject, html = "<p>Ünïcode body</p>", text = "Ünïcode body" });
        Assert.True(sent.StatusCode == HttpStatusCode.OK, accepted.ToString());
        var received = await Eventually.Until(cluster.Mail.MessagesAsync, m => m.Any(x => x.Subject == subject), Patience, "the signed message");
        var message = await cluster.Mail.RawAsync(received.Single(m => m.Subject == subject).Id);
        var signature = message.Headers["DKIM-Signature"];
        Assert.Contains("d=verify-me.test", signature, StringComparison.Ordinal);
        Assert.Contains("s=send1", signature, StringComparison.Ordinal);

        using var raw = new MemoryStream();
        await message.WriteToAsync(raw);
        var (verdict, domainSigned, _) = await DkimVerdictAsync(raw.ToArray());
        Assert.Equal(("pass", "verify-me.test"), (verdict, domainSigned));

        // One byte of the body changed after signing: the same verifier must now fail it.
        var tampered = raw.ToArray();
        var headersEnd = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.ASCII.GetString(tampered), "\r?\n\r?\n");
        var letter = Array.FindIndex(tampered, headersEnd.Index + headersEnd.Length, b => char.IsAsciiLetter((char)b));
        tampered[letter] = (byte)(tampered[letter] == (byte)'x' ? 'y' : 'x');
        // (mailauth reports a body-hash mismatch as "neutral" with that comment, RFC 6376 §6.1.3.)
        var afterTampering = await DkimVerdictAsync(tampered);
        Assert.NotEqual("pass", afterTampering.Result);
        Assert.Contains("body hash", afterTampering.Comment, StringComparison.OrdinalIgnoreCase);

        // A wrong SPF record leaves the domain partially verified, and says what it found.
        await cluster.Dns.PublishAsync(Published(domain, spf: "v=spf1 include:elsewhere.example ~all"));
        var (_, partial) = await SendAsync(api, HttpMethod.Post, $"/v1/domains/{id}/verify");
        Assert.Equal("partially_verified", partial.GetProperty("status").GetString());
        var spf = partial.GetProperty("records")[2];
        Assert.Equal("failed", spf.GetProperty("status").GetString());
        Assert.Contains("include:elsewhere.example", spf.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var stillMissing = await api.GetFromJsonAsync<JsonElement>($"/v1/domains/verify-me.test/verify");
        Assert.Equal(["SPF:TXT"], stillMissing.GetProperty("missing_records").EnumerateArray().Select(r => $"{r.GetProperty("record")}:{r.GetProperty("type")}"));

        Assert.Equal(["domain.created", "domain.verified", "domain.updated"], await EventsAsync(id));
    }

    [Fact]
    public async Task The_background_check_notices_a_verified_domain_losing_its_DKIM_record_and_publishes_domain_updated()
    {
        using var api = cluster.CreateAuthenticatedClient();
        var domain = await CreateAsync(api, new { name = "recheck.test", custom_return_path = "bounces" });
        var id = domain.GetProperty("id").GetString()!;
        Assert.Equal("bounces", domain.GetProperty("records")[1].GetProperty("name").GetString());

        // Nobody calls verify: the checker finds the published records on its own.
        await cluster.Dns.PublishAsync(Published(domain));
        await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/domains/{id}"), d => d.GetProperty("status").GetString() == "verified", Patience, "the checker to verify the domain");

        await cluster.Dns.PublishAsync(Published(domain).Where(r => !r.Name.Contains("_domainkey", StringComparison.Ordinal)));
        var broken = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/v1/domains/{id}"),
            d => d.GetProperty("status").GetString() == "partially_verified", Patience, "the checker to notice the missing DKIM record");
        Assert.Equal("failed", broken.GetProperty("records")[0].GetProperty("status").GetString());
        Assert.Equal(["domain.created", "domain.verified", "domain.updated"], await EventsAsync(id));

        // A live key can no longer send from it.
        var (refused, _) = await SendAsync(api, HttpMethod.Post, "/v1/emails", new { from = "a@recheck.test", to = "x@example.com", subject = "s", text = "t" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Bad_names_duplicates_and_other_organizations_are_refused_clearly()
    {
        using var a = cluster.CreateAuthenticatedClient();
        var before = await cluster.CountAsync("SELECT count(*) FROM domains");
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { }, "name"), (new { name = "" }, "name"), (new { name = "localhost" }, "name"), (new { name = "me@example.test" }, "name"),
                     (new { name = "https://example.test" }, "name"), (new { name = "-bad-.test" }, "name"), (new { name = "a..test" }, "name"),
                     (new { name = "10.0.0.1" }, "name"), (new { name = new string('a', 64) + ".test" }, "name"), (new { name = "exa mple.test" }, "name"),
                     (new { name = "ok.test", region = "mars-1" }, "region"), (new { name = "ok.test", custom_return_path = "a.b" }, "custom_return_path"),
                     (new { name = "ok.test", tls = "sometimes" }, "tls"), (new { name = "ok.test", capabilities = new { receiving = "enabled" } }, "capabilities.receiving"),
                 })
        {
            var (response, problem) = await SendAsync(a, HttpMethod.Post, "/v1/domains", body);
            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{JsonSerializer.Serialize(body)}: {response.StatusCode} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not in {problem}");
        }

        Assert.Equal(before, await cluster.CountAsync("SELECT count(*) FROM domains"));

        var idn = await CreateAsync(a, new { name = "bücher.test" });
        Assert.Equal("xn--bcher-kva.test", idn.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(a, HttpMethod.Post, "/v1/domains", new { name = "BÜCHER.test" })).Response.StatusCode);

        // A's verified domain cannot be claimed by B; a merely pending one can be added by both.
        var owned = await CreateAsync(a, new { name = "owned.test" });
        await cluster.Dns.PublishAsync(Published(owned));
        var (_, ownedVerified) = await SendAsync(a, HttpMethod.Post, $"/v1/domains/{owned.GetProperty("id")}/verify");
        Assert.Equal("verified", ownedVerified.GetProperty("status").GetString());
        using var b = cluster.CreateAuthenticatedClient(await cluster.CreateOrganizationWithKeyAsync("domains:read", "domains:write"));
        var (claim, claimProblem) = await SendAsync(b, HttpMethod.Post, "/v1/domains", new { name = "owned.test" });
        Assert.Equal(HttpStatusCode.Conflict, claim.StatusCode);
        Assert.Contains("another organization", claimProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(b, HttpMethod.Post, "/v1/domains", new { name = "bücher.test" })).Response.StatusCode);

        var ownedId = owned.GetProperty("id").GetString();
        Assert.DoesNotContain((await b.GetFromJsonAsync<JsonElement>("/v1/domains?limit=100")).GetProperty("data").EnumerateArray(), d => d.GetProperty("id").GetString() == ownedId);
        foreach (var (method, path) in new[]
                 {
                     (HttpMethod.Get, $"/v1/domains/{ownedId}"), (HttpMethod.Get, "/v1/domains/owned.test"), (HttpMethod.Get, $"/v1/domains/{ownedId}/verify"),
                     (HttpMethod.Post, $"/v1/domains/{ownedId}/verify"), (HttpMethod.Patch, $"/v1/domains/{ownedId}"), (HttpMethod.Delete, $"/v1/domains/{ownedId}"),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(b, method, path, method == HttpMethod.Patch ? new { open_tracking = true } : null)).Response.StatusCode);
        }

        var (patched, _) = await SendAsync(a, HttpMethod.Patch, $"/v1/domains/{ownedId}", new { open_tracking = true, click_tracking = true, tls = "enforced" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var afterPatch = await a.GetFromJsonAsync<JsonElement>($"/v1/domains/{ownedId}");
        // (Not the status: the background re-check may look at DNS again meanwhile; a PATCH never touches it.)
        Assert.Equal((true, true, "enforced"),
            (afterPatch.GetProperty("open_tracking").GetBoolean(), afterPatch.GetProperty("click_tracking").GetBoolean(), afterPatch.GetProperty("tls").GetString()));

        var (deleted, gone) = await SendAsync(a, HttpMethod.Delete, $"/v1/domains/{ownedId}");
        Assert.True(deleted.StatusCode == HttpStatusCode.OK && gone.GetProperty("deleted").GetBoolean(), gone.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(a, HttpMethod.Get, $"/v1/domains/{ownedId}")).Response.StatusCode);
        Assert.Equal("domain.deleted", (await EventsAsync(ownedId!)).Last());
    }

    /// <summary>mailauth's DKIM verdict on a message, with the keys looked up in the test DNS server.</summary>
    private async Task<(string Result, string? Domain, string Comment)> DkimVerdictAsync(byte[] message)
    {
        var eml = Path.Combine(Path.GetTempPath(), $"send-dkim-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(eml, message);
        try
        {
            using var node = new ExternalProcess("mailauth", "node", [Path.Combine(Repository.Root, "tests", "peers", "dkim-verify.mjs"), eml, cluster.Dns.Address]);
            Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, node.Output);
            var result = Assert.Single(JsonDocument.Parse(node.Output.Split('\n').Last(l => l.StartsWith('['))).RootElement.EnumerateArray());
            return (result.GetProperty("result").GetString()!, result.TryGetProperty("domain", out var domain) ? domain.GetString() : null,
                result.TryGetProperty("comment", out var comment) ? comment.GetString() ?? "" : "");
        }
        finally
        {
            File.Delete(eml);
        }
    }

    /// <summary>The domain's records as a DNS operator would publish them.</summary>
    private static List<TestDnsRecord> Published(JsonElement domain, string? spf = null) =>
        domain.GetProperty("records").EnumerateArray().Select(r =>
        {
            var name = r.GetProperty("full_name").GetString()!;
            return r.GetProperty("type").GetString() == "MX"
                ? TestDnsRecord.Mx(name, r.GetProperty("value").GetString()!, r.GetProperty("priority").GetInt32())
                : r.GetProperty("record").GetString() == "SPF" && spf is not null
                    ? TestDnsRecord.Txt(name, spf)
                    : TestDnsRecord.Txt(name, [.. r.GetProperty("value_strings").EnumerateArray().Select(v => v.GetString()!)]);
        }).ToList();

    private async Task<List<string>> EventsAsync(string domainId)
    {
        var events = (string?)await cluster.ScalarAsync(
            $"SELECT string_agg(payload->>'event', ',' ORDER BY created_at) FROM outbox_messages WHERE topic = 'domain-events' AND payload->>'domain_id' = '{domainId}'");
        return [.. (events ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task<JsonElement> CreateAsync(HttpClient api, object body)
    {
        var (response, domain) = await SendAsync(api, HttpMethod.Post, "/v1/domains", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, domain.ToString());
        return domain;
    }
}
