using System.Globalization;
using System.Text.Json.Nodes;
using Send.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Send.Deployment.Tests;

/// <summary>
/// The Helm chart as these machines can read it: no helm runs here, so values are read as YAML,
/// merged the way Helm merges them, and templates are read as text.
/// </summary>
public static class Chart
{
    public static string Folder { get; } = Path.Combine(Repository.Root, "charts", "send");

    /// <summary>values.yaml as JSON, typed as Helm types it (numbers, booleans, null).</summary>
    public static JsonObject Values() => ReadValues(Path.Combine(Folder, "values.yaml"));

    /// <summary>values.yaml with a scenario file laid over it, as <c>helm install -f</c> does.</summary>
    public static JsonObject ValuesWith(string overrideFile) =>
        Merge(Values(), ReadValues(Path.Combine(Folder, overrideFile)));

    public static IReadOnlyList<string> ScenarioFiles() =>
        Directory.EnumerateFiles(Path.Combine(Folder, "ci"), "*.yaml")
            .Select(path => Path.Combine("ci", Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Template(string name) => File.ReadAllText(Path.Combine(Folder, "templates", name));

    /// <summary>Every template's text, for checks that a name appears wherever it is rendered.</summary>
    public static string AllTemplates() =>
        string.Join('\n', Directory.EnumerateFiles(Path.Combine(Folder, "templates")).Order(StringComparer.Ordinal).Select(File.ReadAllText));

    /// <summary>
    /// The workloads as the templates see them: <c>defaults</c> with each entry of <c>services</c>
    /// laid over it (send.workload in _helpers.tpl), keyed by the entry's name.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonObject> Workloads(JsonObject values)
    {
        var defaults = values["defaults"]!.AsObject();
        return values["services"]!.AsObject().ToDictionary(
            entry => entry.Key,
            entry => Merge((JsonObject)defaults.DeepClone(), (JsonObject)entry.Value!.DeepClone()));
    }

    public static IEnumerable<JsonObject> EnabledWorkloads(JsonObject values) =>
        Workloads(values).Values.Where(w => Flag(w, "enabled"));

    public static bool Flag(JsonObject node, string name) => node[name]?.GetValue<bool>() == true;

    public static string? Text(JsonNode? node) => node?.GetValue<object>().ToString();

    /// <summary>Helm's merge: maps merge key by key, anything else is replaced, and null deletes.</summary>
    public static JsonObject Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }

        return target;
    }

    /// <summary>A YAML node as JSON, with plain scalars typed as YAML 1.2's core schema types them.</summary>
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => PlainScalar(scalar.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType} at {node.Start}."),
    };

    private static JsonObject ReadValues(string path)
    {
        var documents = Yaml.LoadDocuments(path);
        return documents.Count == 0 ? [] : (JsonObject)ToJson(documents[0])!;
    }

    private static JsonValue? PlainScalar(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !value.Contains('_', StringComparison.Ordinal) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
