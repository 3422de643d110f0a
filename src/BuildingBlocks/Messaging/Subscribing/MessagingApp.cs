namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>
/// Who this process is to the pub/sub: its Dapr app id (the consumer group of the local
/// transport) and the pub/sub component its subscriptions name.
/// </summary>
public sealed record MessagingApp(string AppId, string PubSubName)
{
    /// <summary>The dead-letter topic of this app's subscriptions, which it also consumes.</summary>
    public string DeadLetterTopic => Send.Contracts.Topics.DeadLetters(AppId);
}
