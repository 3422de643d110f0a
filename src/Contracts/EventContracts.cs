using System.Reflection;

namespace Send.Contracts;

/// <summary>Every published contract, found by its <see cref="EventTypeAttribute"/>.</summary>
public static class EventContracts
{
    public static IReadOnlyList<(string Type, Type Contract)> All { get; } =
        typeof(EventContracts).Assembly.GetTypes()
            .Select(type => (Attribute: type.GetCustomAttribute<EventTypeAttribute>(), Contract: type))
            .Where(pair => pair.Attribute is not null)
            .Select(pair => (pair.Attribute!.Type, pair.Contract))
            .OrderBy(pair => pair.Type, StringComparer.Ordinal)
            .ToList();

    /// <summary>The event type name of a contract, read once per type (every outbox write asks).</summary>
    public static string TypeOf<T>() =>
        EventTypeOf<T>.Name ?? throw new InvalidOperationException($"{typeof(T).Name} is not an event contract: it has no [EventType].");

    private static class EventTypeOf<T>
    {
        public static readonly string? Name = typeof(T).GetCustomAttribute<EventTypeAttribute>()?.Type;
    }
}
