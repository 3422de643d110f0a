using YamlDotNet.RepresentationModel;
using static Send.TestSupport.Yaml;

namespace Send.TestSupport;

/// <summary>
/// One Dapr resource (Component, Configuration, Resiliency…) of components/. Shared by the test
/// that checks components/ against the code and the one that checks the Helm chart against
/// components/.
/// </summary>
public sealed record DaprResource(string File, YamlMappingNode Root)
{
    public string Kind => Text(Root, "kind");

    public string Name => Text(Root, "metadata", "name");

    public string? Type => (Find(Root, "spec", "type") as YamlScalarNode)?.Value;

    public IReadOnlyList<string> Scopes => Items(Root, "scopes");

    /// <summary>The plain value of a component's <c>spec.metadata</c> entry, null when absent or a secret reference.</summary>
    public string? Metadata(string name) =>
        (Find(Root, "spec", "metadata") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>()
            .Where(entry => Text(entry, "name") == name)
            .Select(entry => (Find(entry, "value") as YamlScalarNode)?.Value)
            .FirstOrDefault();

    /// <summary>Every resource in components/, in file-name order.</summary>
    public static List<DaprResource> LoadComponentsFolder()
    {
        var folder = Path.Combine(Repository.Root, "components");
        return Directory.EnumerateFiles(folder, "*.yaml").Concat(Directory.EnumerateFiles(folder, "*.yml"))
            .Order(StringComparer.Ordinal)
            .SelectMany(path => LoadDocuments(path).Select(root => new DaprResource(Path.Combine("components", Path.GetFileName(path)), root)))
            .ToList();
    }
}
