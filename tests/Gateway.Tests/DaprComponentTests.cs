using Send.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Send.Gateway.Tests;

/// <summary>
/// No daprd runs here, so the Dapr YAML is checked for what would break silently on a cluster:
/// the Gateway's configuration names a middleware component that exists, with the right type,
/// scoped to the Gateway's app id (the name the app host and the chart give it).
/// </summary>
public sealed class DaprComponentTests
{
    private const string GatewayAppId = "gateway";

    [Fact]
    public void The_gateway_pipeline_uses_the_per_ip_rate_limit_component_scoped_to_the_gateway()
    {
        var config = Load("gateway-config.yaml");
        var component = Load("ratelimit.yaml");

        Assert.Equal("Configuration", Scalar(config, "kind"));
        var handler = Assert.Single(((YamlSequenceNode)Node(config, "spec", "httpPipeline", "handlers")).Children.Cast<YamlMappingNode>());
        Assert.Equal(Scalar(component, "metadata", "name"), Scalar(handler, "name"));
        Assert.Equal("middleware.http.ratelimit", Scalar(handler, "type"));
        Assert.Equal("middleware.http.ratelimit", Scalar(component, "spec", "type"));
        Assert.Contains(GatewayAppId, ((YamlSequenceNode)Node(component, "scopes")).Children.Select(c => ((YamlScalarNode)c).Value));

        // The app host names the Gateway resource with the same id the scopes use.
        Assert.Contains($"AddProject<Projects.Gateway>(\"{GatewayAppId}\")",
            File.ReadAllText(Path.Combine(Repository.Root, "src/AppHost/Program.cs")), StringComparison.Ordinal);
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Repository.Root, "components", file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode Node(YamlMappingNode root, params string[] path) =>
        path.Aggregate((YamlNode)root, (node, key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)]);

    private static string? Scalar(YamlMappingNode root, params string[] path) => ((YamlScalarNode)Node(root, path)).Value;
}
