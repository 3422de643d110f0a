using System.Text.Json;

namespace Send.Templating;

/// <summary>
/// Variables arrive as JSON; the renderer reads plain dictionaries, lists and scalars. Declared
/// defaults sit underneath what the sender gives, object by object.
/// </summary>
public static class TemplateValues
{
    public static Dictionary<string, object?> FromJson(JsonElement? json) =>
        json is { ValueKind: JsonValueKind.Object } element ? (Dictionary<string, object?>)Convert(element)! : new(StringComparer.Ordinal);

    public static Dictionary<string, object?> FromJson(IReadOnlyDictionary<string, JsonElement>? json)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in json ?? new Dictionary<string, JsonElement>())
        {
            result[name] = Convert(value);
        }

        return result;
    }

    /// <summary>A new dictionary: <paramref name="values"/> over <paramref name="defaults"/>, nested objects merged too.</summary>
    public static Dictionary<string, object?> Merge(IReadOnlyDictionary<string, object?> defaults, IReadOnlyDictionary<string, object?> values)
    {
        var result = new Dictionary<string, object?>(defaults, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            result[name] = value is IReadOnlyDictionary<string, object?> inner && result.GetValueOrDefault(name) is IReadOnlyDictionary<string, object?> under
                ? Merge(under, inner)
                : value;
        }

        return result;
    }

    private static object Number(JsonElement element) =>
        element.TryGetInt64(out var whole) ? whole : element.TryGetDecimal(out var exact) ? exact : element.GetDouble();

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Convert(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => Number(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
