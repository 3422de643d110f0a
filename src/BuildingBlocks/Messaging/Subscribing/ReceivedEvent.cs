using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// The envelope of the event a subscription handler is processing. <c>UseCloudEvents</c>
/// unwraps the body to the event's data and forwards the envelope's attributes as
/// <c>Cloudevent.*</c> headers; this binds them, so a handler can take
/// <c>(ReceivedEvent received, TData data)</c> and de-duplicate on <see cref="Id"/>.
/// </summary>
public sealed record ReceivedEvent(string Id, string Type, string Source, string? Topic)
{
    internal static readonly string[] ForwardedAttributes = ["id", "type", "source", "topic", "deadletterreason"];

    /// <summary>Why the transport gave up on this message, when it arrives on a dead-letter topic.</summary>
    public string? DeadLetterReason { get; init; }

    public static ValueTask<ReceivedEvent?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var headers = context.Request.Headers;
        var id = headers["Cloudevent.id"].ToString();
        if (id.Length == 0)
        {
            throw new BadHttpRequestException("This endpoint takes CloudEvents (Content-Type: application/cloudevents+json) with an id.");
        }

        return ValueTask.FromResult<ReceivedEvent?>(new ReceivedEvent(
            id,
            headers["Cloudevent.type"].ToString(),
            headers["Cloudevent.source"].ToString(),
            headers["Cloudevent.topic"] is { Count: > 0 } topic ? topic.ToString() : null)
        {
            DeadLetterReason = headers["Cloudevent.deadletterreason"] is { Count: > 0 } reason ? reason.ToString() : null,
        });
    }
}
