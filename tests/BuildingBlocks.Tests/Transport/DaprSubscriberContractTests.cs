using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Send.BuildingBlocks.Tests.Transport;

/// <summary>
/// The same handlers under Dapr: what daprd asks of the app (<c>/dapr/subscribe</c>) and how it
/// delivers (a structured CloudEvent with the app API token), played against a real process
/// configured for the Dapr transport.
/// </summary>
public sealed class DaprSubscriberContractTests : IAsyncLifetime
{
    private const string AppToken = "a-token-the-dapr-injector-would-hand-both-sides";
    private readonly ProbeCluster cluster = new();
    private string _db = "";
    private TestSupport.ServiceProcess _app = null!;

    public async Task InitializeAsync()
    {
        await cluster.InitializeAsync();
        _db = await cluster.NewDatabaseAsync();
        _app = await cluster.StartProbeAsync("probe-dapr", _db, new Dictionary<string, string?>
        {
            ["Messaging__Transport"] = "dapr",
            ["APP_API_TOKEN"] = AppToken,
        });
    }

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task Subscribe_endpoint_lists_every_subscription_in_the_documented_shape()
    {
        using var http = SidecarClient();
        var subscriptions = JsonDocument.Parse(await http.GetStringAsync(new Uri("/dapr/subscribe", UriKind.Relative))).RootElement
            .EnumerateArray().ToDictionary(s => s.GetProperty("topic").GetString()!);

        Assert.Equal(["probe", "probe-bulk", "probe-dapr-dead-letters", "probe-priority"], subscriptions.Keys.Order());
        foreach (var topic in new[] { "probe", "probe-priority", "probe-bulk" })
        {
            Assert.Equal("pubsub", subscriptions[topic].GetProperty("pubsubName").GetString());
            Assert.Equal("probe-dapr-dead-letters", subscriptions[topic].GetProperty("deadLetterTopic").GetString());
        }

        Assert.Equal("events/probe", subscriptions["probe"].GetProperty("route").GetString()!.TrimStart('/'));
        Assert.Equal("high", subscriptions["probe-priority"].GetProperty("metadata").GetProperty("priority").GetString());
        var bulk = subscriptions["probe-bulk"].GetProperty("bulkSubscribe");
        Assert.True(bulk.GetProperty("enabled").GetBoolean());
        Assert.Equal(10, bulk.GetProperty("maxMessagesCount").GetInt32());
        Assert.Equal(100, bulk.GetProperty("maxAwaitDurationMs").GetInt32());
        // The dead-letter store has no dead-letter topic of its own: failures there are retried.
        Assert.False(subscriptions["probe-dapr-dead-letters"].TryGetProperty("deadLetterTopic", out _));
    }

    [Fact]
    public async Task A_structured_CloudEvent_posted_as_daprd_posts_it_reaches_the_handler_once()
    {
        using var http = SidecarClient();
        var id = Guid.NewGuid().ToString();
        var envelope = Envelope(id, "probe", """{"behaviour":"succeed","sequence":7}""");

        for (var delivery = 0; delivery < 2; delivery++)
        {
            using var response = await http.PostAsync(new Uri("/events/probe", UriKind.Relative), CloudEventContent(envelope));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("SUCCESS", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        }

        var effect = Assert.Single(await ProbeCluster.EffectsAsync(_db));
        Assert.Equal((id, 7), (effect.EventId, effect.Sequence));
        Assert.Equal(2, (await ProbeCluster.DeliveriesAsync(_db)).Count);
    }

    [Fact]
    public async Task A_bulk_delivery_as_daprd_posts_it_is_answered_entry_by_entry()
    {
        using var http = SidecarClient();
        var (good, dropped) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var body = $$"""
            {"id":"b1","type":"com.dapr.event.sent.bulk","pubsubname":"pubsub","topic":"probe-bulk","metadata":{},"entries":[
              {"entryId":"e1","contentType":"application/cloudevents+json","metadata":{},"event":{{Envelope(good, "probe-bulk", """{"behaviour":"succeed","sequence":1}""")}}},
              {"entryId":"e2","contentType":"application/cloudevents+json","metadata":{},"event":{{Envelope(dropped, "probe-bulk", """{"behaviour":"drop","sequence":2}""")}}}]}
            """;

        using var response = await http.PostAsync(new Uri("/events/probe-bulk", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statuses = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("statuses")
            .EnumerateArray().ToDictionary(s => s.GetProperty("entryId").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["e1"] = "SUCCESS", ["e2"] = "DROP" }, statuses);
        Assert.Equal(good, Assert.Single(await ProbeCluster.EffectsAsync(_db)).EventId);
    }

    [Theory]
    [InlineData("{\"entries\":[")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"b1\",\"entries\":{}}")]
    [InlineData("{\"id\":\"b1\",\"entries\":[{\"event\":{}}]}")]
    public async Task A_malformed_bulk_delivery_is_refused_with_a_problem_and_applies_nothing(string body)
    {
        using var http = SidecarClient();

        using var response = await http.PostAsync(new Uri("/events/probe-bulk", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bulk delivery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await ProbeCluster.DeliveriesAsync(_db));
    }

    [Fact]
    public async Task A_message_daprd_dead_letters_is_stored_for_replay()
    {
        using var http = SidecarClient();
        var id = Guid.NewGuid().ToString();
        var envelope = Envelope(id, "probe", """{"behaviour":"fail","sequence":3,"failures":99}""");

        using var response = await http.PostAsync(new Uri("/dapr/dead-letters", UriKind.Relative), CloudEventContent(envelope));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var letter = Assert.Single(await ProbeCluster.DeadLettersAsync(_db));
        Assert.Equal((id, "probe", false), (letter.EventId, letter.Topic, letter.Replayed));
    }

    [Fact]
    public async Task Calls_without_the_app_token_or_with_a_wrong_one_are_refused()
    {
        using var anonymous = _app.CreateClient();
        using var wrong = _app.CreateClient();
        wrong.DefaultRequestHeaders.Add("dapr-api-token", "not-the-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/dapr/subscribe", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsync(new Uri("/events/probe", UriKind.Relative),
            CloudEventContent(Envelope("x", "probe", """{"behaviour":"succeed","sequence":1}""")))).StatusCode);
        Assert.Empty(await ProbeCluster.DeliveriesAsync(_db));
    }

    private HttpClient SidecarClient()
    {
        var http = _app.CreateClient();
        http.DefaultRequestHeaders.Add("dapr-api-token", AppToken);
        return http;
    }

    /// <summary>The envelope daprd builds around published data (its own attributes included).</summary>
    private static string Envelope(string id, string topic, string data) => $$"""
        {"specversion":"1.0","id":"{{id}}","source":"probe-publisher","type":"send.probe.happened.v1",
         "datacontenttype":"application/json","topic":"{{topic}}","pubsubname":"pubsub",
         "traceid":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","data":{{data}}}
        """;

    private static StringContent CloudEventContent(string envelope) =>
        new(envelope, Encoding.UTF8, new MediaTypeHeaderValue("application/cloudevents+json"));
}
