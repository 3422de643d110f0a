namespace Send.Contracts;

/// <summary>
/// The CloudEvent <c>type</c> of a contract: <c>send.{entity}.{what}.v{n}</c>. A breaking change
/// is a new record with a new version, published beside the old one until consumers move.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EventTypeAttribute(string type) : Attribute
{
    public string Type { get; } = type;
}
