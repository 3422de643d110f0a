namespace Send.BuildingBlocks.Messaging.Subscribing;

public enum DeliveryOutcome
{
    /// <summary>2xx with no status or SUCCESS: acknowledge.</summary>
    Success,

    /// <summary>RETRY, a non-2xx answer, a timeout or no answer: try again after a backoff.</summary>
    Retry,

    /// <summary>DROP: the handler discards it on purpose; acknowledge without dead-lettering.</summary>
    Drop,

    /// <summary>404: no handler at the route, so retrying cannot help; dead-letter it at once.</summary>
    NoHandler,
}

/// <summary>The outcome and, for anything but success, why: the reason dead letters carry.</summary>
public readonly record struct DeliveryResult(DeliveryOutcome Outcome, string? Reason = null);
