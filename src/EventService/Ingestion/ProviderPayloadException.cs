using Microsoft.AspNetCore.Http;

namespace Send.EventService.Ingestion;

/// <summary>
/// A provider callback Send will not act on: it does not verify, cannot be read, or says
/// something Send does not know. It becomes a 4xx problem answer (503 only when Send itself
/// could not check it, so the provider retries), and nothing is published.
/// </summary>
public sealed class ProviderPayloadException : Exception
{
    public const string InvalidSignature = "invalid_signature";
    public const string InvalidPayload = "invalid_payload";
    public const string UnsupportedEvent = "unsupported_event";

    public ProviderPayloadException()
        : this("The provider callback was refused.")
    {
    }

    public ProviderPayloadException(string message)
        : this(StatusCodes.Status400BadRequest, InvalidPayload, message)
    {
    }

    public ProviderPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
        Name = InvalidPayload;
    }

    public ProviderPayloadException(int status, string name, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Name = name;
    }

    public int Status { get; }

    public string Name { get; }

    /// <summary>The signature is missing or does not check out: the sender is not who it claims to be.</summary>
    public static ProviderPayloadException BadSignature(string message) =>
        new(StatusCodes.Status403Forbidden, InvalidSignature, message);

    /// <summary>The body cannot be read as what this endpoint takes.</summary>
    public static ProviderPayloadException Malformed(string message, Exception? inner = null) =>
        new(StatusCodes.Status400BadRequest, InvalidPayload, message, inner);

    /// <summary>Verified, but from a source this install does not take events from (an SNS topic not allowed).</summary>
    public static ProviderPayloadException Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, "source_not_allowed", message);

    /// <summary>Send could not check the callback right now (the signing certificate is unreachable): the provider should retry.</summary>
    public static ProviderPayloadException Unavailable(string message, Exception? inner = null) =>
        new(StatusCodes.Status503ServiceUnavailable, "service_unavailable", message, inner);

    /// <summary>Well-formed, but an event type (or a report) Send does not understand.</summary>
    public static ProviderPayloadException Unsupported(string message) =>
        new(StatusCodes.Status422UnprocessableEntity, UnsupportedEvent, message);
}
