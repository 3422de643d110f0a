using Microsoft.AspNetCore.Http;

namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// The answers a subscription handler gives, in Dapr's contract: SUCCESS acknowledges, RETRY
/// asks for redelivery with backoff, DROP discards the message (logged, not dead-lettered).
/// </summary>
public static class SubscriptionResults
{
    public static IResult Success() => Results.Json(new Answer("SUCCESS"));

    public static IResult Retry() => Results.Json(new Answer("RETRY"));

    public static IResult Drop() => Results.Json(new Answer("DROP"));

    private sealed record Answer(string Status);
}
