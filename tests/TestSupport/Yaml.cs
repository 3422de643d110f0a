using YamlDotNet.RepresentationModel;

namespace Send.TestSupport;

/// <summary>
/// Reading YAML the repository holds (components/, the Helm chart) by path, without a model per
/// file: the tests that keep those files in step with the code only need to find keys and values.
/// </summary>
public static class Yaml
{
    /// <summary>Every document of a file, as mappings (a Kubernetes file may hold several).</summary>
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlNode? Find(YamlNode? node, params string[] path) =>
        path.Aggregate(node, (current, key) =>
            current is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null);

    public static string Text(YamlNode? node, params string[] path) =>
        (Find(node, path) as YamlScalarNode)?.Value ?? "";

    public static IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode node, params string[] path) =>
        Find(node, path) is YamlMappingNode mapping ? mapping.Children.Select(c => (Text(c.Key), c.Value)) : [];

    /// <summary>The scalar items of a sequence, empty when the path holds none.</summary>
    public static IReadOnlyList<string> Items(YamlNode? node, params string[] path) =>
        Find(node, path) is YamlSequenceNode sequence ? sequence.Children.Select(s => Text(s)).ToList() : [];
}
