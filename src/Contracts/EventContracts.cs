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

    public static string TypeOf<T>() =>
        typeof(T).GetCustomAttribute<EventTypeAttribute>()?.Type
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not an event contract: it has no [EventType].");
}
