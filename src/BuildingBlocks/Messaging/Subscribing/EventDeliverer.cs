using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Send.ServiceDefaults;
using Send.ServiceDefaults.Identity;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// Posts one CloudEvent to the app's subscription route the way daprd does (structured mode,
/// <c>application/cloudevents+json</c>) and reads the answer by Dapr's rules. The call carries
/// a signed service identity, since services accept nothing without one, and the event's trace
/// context, so the handler's work joins the publisher's trace.
/// </summary>
public sealed class EventDeliverer : IDisposable
{
    public const string TransportIdentity = "pubsub";

    private static readonly MediaTypeHeaderValue CloudEventsContentType = new(CloudEvent.ContentType);
    private readonly HttpClient _http;
    private readonly InternalIdentitySigner _signer;
    private readonly string _encodedCaller = InternalIdentityToken.EncodeCaller(Caller.ForService(TransportIdentity));
    private readonly TimeSpan _timeout;

    public EventDeliverer(InternalIdentitySigner signer, IOptions<DeliveryOptions> options)
    {
        _signer = signer;
        _timeout = options.Value.Timeout;
        // Our own handler, not the shared factory's: the service defaults add retries and
        // timeouts to every factory client, and retrying is this transport's job, by its rules.
        // Trace headers are set explicitly from the event rather than by the handler.
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Value.Concurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ActivityHeadersPropagator = null,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<DeliveryResult> DeliverAsync(Uri app, Subscription subscription, ReadOnlyMemory<byte> envelope, string? traceParent, CancellationToken cancellationToken)
    {
        using var activity = SendTelemetry.ActivitySource.StartActivity(
            $"{subscription.Topic} process", ActivityKind.Consumer, traceParent ?? default(string));
        activity?.SetTag("messaging.system", "redis_streams");
        activity?.SetTag("messaging.destination.name", subscription.Topic);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app, subscription.Route))
        {
            Content = new ReadOnlyMemoryContent(envelope) { Headers = { ContentType = CloudEventsContentType } },
        };
        request.Headers.TryAddWithoutValidation(InternalIdentityToken.HeaderName, _signer.Sign(_encodedCaller, "POST", subscription.Route));
        if ((activity?.Id ?? traceParent) is { } parent)
        {
            request.Headers.TryAddWithoutValidation("traceparent", parent);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            var result = await ReadAnswerAsync(response, timeout.Token);
            activity?.SetTag("send.delivery.outcome", result.Outcome.ToString());
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(DeliveryOutcome.Retry, $"The handler did not answer within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            return new(DeliveryOutcome.Retry, $"The app could not be reached: {ex.Message}");
        }
    }

    /// <summary>
    /// Delivers several messages of a bulk subscription in one request, Dapr's bulk format, and
    /// returns each message's result by its stream id. An entry the app does not answer for is
    /// retried, as is every entry when the request as a whole fails.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DeliveryResult>> DeliverBulkAsync(Uri app, Subscription subscription, IReadOnlyList<StreamMessage> messages, IReadOnlyList<string?> traceParents, CancellationToken cancellationToken)
    {
        // One span for the request, parented to the first event's trace and linked to the others'.
        var links = traceParents.Skip(1)
            .Select(parent => ActivityContext.TryParse(parent, null, out var context) ? new ActivityLink(context) : (ActivityLink?)null)
            .OfType<ActivityLink>();
        ActivityContext.TryParse(traceParents.Count > 0 ? traceParents[0] : null, null, out var parentContext);
        using var activity = SendTelemetry.ActivitySource.StartActivity(ActivityKind.Consumer, parentContext, links: links, name: $"{subscription.Topic} process");
        activity?.SetTag("messaging.system", "redis_streams");
        activity?.SetTag("messaging.destination.name", subscription.Topic);
        activity?.SetTag("messaging.batch.message_count", messages.Count);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app, subscription.Route))
        {
            Content = new ByteArrayContent(BulkBody(subscription, messages)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.TryAddWithoutValidation(InternalIdentityToken.HeaderName, _signer.Sign(_encodedCaller, "POST", subscription.Route));
        if (activity?.Id is { } traceParent)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        DeliveryResult whole;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return ReadStatuses(await response.Content.ReadAsByteArrayAsync(timeout.Token), messages);
            }

            whole = response.StatusCode == HttpStatusCode.NotFound
                ? new(DeliveryOutcome.NoHandler, "The app answered 404: no handler at the subscription's route.")
                : new(DeliveryOutcome.Retry, $"The handler answered {(int)response.StatusCode}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            whole = new(DeliveryOutcome.Retry, $"The handler did not answer within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            whole = new(DeliveryOutcome.Retry, $"The app could not be reached: {ex.Message}");
        }

        return messages.ToDictionary(m => m.Id, _ => whole);
    }

    private static byte[] BulkBody(Subscription subscription, IReadOnlyList<StreamMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Guid.NewGuid().ToString());
            json.WriteString("type", BulkDelivery.Type);
            json.WriteString("pubsubname", subscription.PubSubName);
            json.WriteString("topic", subscription.Topic);
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteStartArray("entries");
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("entryId", message.Id);
                json.WritePropertyName("event");
                json.WriteRawValue(message.Envelope.Span, skipInputValidation: true);
                json.WriteString("contentType", CloudEvent.ContentType);
                json.WriteStartObject("metadata");
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static Dictionary<string, DeliveryResult> ReadStatuses(byte[] body, IReadOnlyList<StreamMessage> messages)
    {
        var results = messages.ToDictionary(m => m.Id, _ => new DeliveryResult(DeliveryOutcome.Retry, "The handler gave no status for this entry."));
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("statuses", out var statuses) || statuses.ValueKind != JsonValueKind.Array)
            {
                return results;
            }

            foreach (var status in statuses.EnumerateArray())
            {
                var entryId = status.TryGetProperty("entryId", out var id) ? id.GetString() : null;
                if (entryId is not null && results.ContainsKey(entryId))
                {
                    results[entryId] = Interpret(status.TryGetProperty("status", out var value) ? value.GetString() : null);
                }
            }
        }
        catch (JsonException)
        {
            // Not the bulk answer: every entry is retried.
        }

        return results;
    }

    private static DeliveryResult Interpret(string? status) => status?.ToUpperInvariant() switch
    {
        null or "" or "SUCCESS" => new(DeliveryOutcome.Success),
        "RETRY" => new(DeliveryOutcome.Retry, "The handler asked for a retry."),
        "DROP" => new(DeliveryOutcome.Drop, "The handler dropped it."),
        // daprd treats an unknown status as an error, to be retried.
        _ => new(DeliveryOutcome.Retry, $"The handler answered an unknown status '{status}'."),
    };

    private static async Task<DeliveryResult> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new(DeliveryOutcome.NoHandler, "The app answered 404: no handler at the subscription's route.");
        }

        if (!response.IsSuccessStatusCode)
        {
            return new(DeliveryOutcome.Retry, $"The handler answered {(int)response.StatusCode}.");
        }

        return Interpret(ReadStatus(await response.Content.ReadAsByteArrayAsync(cancellationToken)));
    }

    /// <summary>The <c>status</c> of a JSON object answer; any other 2xx body counts as success, as in Dapr.</summary>
    private static string? ReadStatus(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
                ? status.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
