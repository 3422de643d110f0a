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

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var status = ReadStatus(body);
        return status?.ToUpperInvariant() switch
        {
            null or "" or "SUCCESS" => new(DeliveryOutcome.Success),
            "RETRY" => new(DeliveryOutcome.Retry, "The handler asked for a retry."),
            "DROP" => new(DeliveryOutcome.Drop, "The handler dropped it."),
            // daprd treats an unknown status as an error, to be retried.
            _ => new(DeliveryOutcome.Retry, $"The handler answered an unknown status '{status}'."),
        };
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
