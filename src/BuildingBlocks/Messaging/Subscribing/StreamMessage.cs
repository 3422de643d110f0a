namespace Send.BuildingBlocks.Messaging.Subscribing;

/// <summary>An entry read from a topic's stream: the structured CloudEvent in its <c>data</c> field.</summary>
public sealed record StreamMessage(string Stream, string Id, ReadOnlyMemory<byte> Envelope);
