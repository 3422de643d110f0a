using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Send.Contracts;
using Send.TestSupport;
using YamlDotNet.RepresentationModel;
using static Send.TestSupport.Yaml;
using DaprComponents = Send.Contracts.Components;

namespace Send.Deployment.Tests;

/// <summary>
/// The chart renders the Dapr resources of components/ from its values. components/ is checked
/// against the code by BuildingBlocks.Tests (ComponentNamesTests); this keeps the chart equal to
/// components/, so both ways of installing give the sidecars the same names, scopes and policies.
/// </summary>
public sealed partial class ChartComponentsTests
{
    private static readonly IReadOnlyList<DaprResource> Resources = DaprResource.LoadComponentsFolder();
    private static readonly JsonObject Values = Chart.Values();
    private static readonly string ComponentsTemplate = Chart.Template("dapr-components.yaml");

    [Fact]
    public void The_chart_names_its_components_as_the_code_and_components_do()
    {
        var rendered = ComponentName().Matches(ComponentsTemplate).Select(m => m.Groups[1].Value).ToHashSet();
        var inFolder = Resources.Where(r => r.Kind == "Component").Select(r => r.Name).ToHashSet();

        Assert.Contains(DaprComponents.PubSub, rendered);
        Assert.Contains(DaprComponents.StateStore, rendered);
        Assert.True(inFolder.SetEquals(rendered),
            $"templates/dapr-components.yaml defines [{string.Join(", ", rendered.Order())}]; components/ defines [{string.Join(", ", inFolder.Order())}].");
    }

    [Fact]
    public void The_chart_offers_every_component_type_of_components()
    {
        foreach (var type in Resources.Where(r => r.Kind == "Component").Select(r => r.Type))
        {
            Assert.True(ComponentsTemplate.Contains($"type: {type}", StringComparison.Ordinal),
                $"components/ has a component of type {type}; templates/dapr-components.yaml cannot render one.");
        }
    }

    [Fact]
    public void Scopes_computed_from_values_are_the_scopes_of_components()
    {
        foreach (var resource in Resources.Where(r => r.Kind is "Component" or "Resiliency"))
        {
            var expected = resource switch
            {
                { Kind: "Resiliency" } => Scope(""),
                { Name: DaprComponents.StateStore } => Scope("stateStore"),
                { Type: var type } when type!.StartsWith("pubsub.", StringComparison.Ordinal) => Scope("pubsub"),
                { Type: "middleware.http.ratelimit" } => [Chart.Text(Values["services"]!["gateway"]!["appId"])!],
                _ => throw new InvalidOperationException($"{resource.File}: no rule says which workloads {resource.Kind} '{resource.Name}' is for; add one here."),
            };

            Assert.True(expected.ToHashSet().SetEquals(resource.Scopes),
                $"{resource.File}: scopes are [{string.Join(", ", resource.Scopes.Order())}]; the chart's values give [{string.Join(", ", expected.Order())}]. "
                + "Change the workloads' pubsub/stateStore flags or components/, so both install the same.");
        }

        Assert.Contains("(dict \"root\" $ \"flag\" \"pubsub\")", ComponentsTemplate, StringComparison.Ordinal);
        Assert.Contains("(dict \"root\" $ \"flag\" \"stateStore\")", ComponentsTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public void Pub_sub_metadata_in_values_is_the_metadata_of_components()
    {
        var valuesKey = new Dictionary<string, string> { ["pubsub.aws.snssqs"] = "snssqs", ["pubsub.redis"] = "redis" };
        foreach (var component in Resources.Where(r => r.Kind == "Component" && r.Type!.StartsWith("pubsub.", StringComparison.Ordinal)))
        {
            Assert.True(valuesKey.TryGetValue(component.Type!, out var key), $"{component.File}: values.yaml has no dapr.pubsub entry for {component.Type}.");
            var inValues = Values["dapr"]!["pubsub"]![key]!.AsObject().ToDictionary(e => e.Key, e => Chart.Text(e.Value));
            var inFolder = PlainMetadata(component);

            Assert.True(inFolder.Count == inValues.Count && inFolder.All(e => inValues.GetValueOrDefault(e.Key) == e.Value),
                $"values.yaml dapr.pubsub.{key} is [{Show(inValues)}]; {component.File} says [{Show(inFolder)}]. Keep them equal.");
        }
    }

    [Fact]
    public void Redis_credentials_come_from_the_secret_components_name()
    {
        var secret = Values["secrets"]!["redis"]!;
        var expected = new Dictionary<string, (string Name, string Key)>
        {
            ["redisHost"] = (Chart.Text(secret["name"])!, Chart.Text(secret["hostKey"])!),
            ["redisPassword"] = (Chart.Text(secret["name"])!, Chart.Text(secret["passwordKey"])!),
        };

        foreach (var component in Resources.Where(r => r.Type is "pubsub.redis" or "state.redis"))
        {
            foreach (var (metadata, (name, key)) in expected)
            {
                var reference = SecretReference(component, metadata);
                Assert.True(reference == (name, key),
                    $"{component.File}: {metadata} reads secret {reference}; the chart's values.yaml secrets.redis give ({name}, {key}).");
            }
        }

        Assert.Contains("key: {{ $secrets.redis.hostKey }}", ComponentsTemplate, StringComparison.Ordinal);
        Assert.Contains("key: {{ $secrets.redis.passwordKey }}", ComponentsTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public void The_resiliency_spec_in_values_is_the_one_of_components()
    {
        var resiliency = Assert.Single(Resources, r => r.Kind == "Resiliency");
        var inFolder = Chart.ToJson(Find(resiliency.Root, "spec")!);

        Assert.True(JsonNode.DeepEquals(inFolder, Values["dapr"]!["resiliency"]!["spec"]),
            $"values.yaml dapr.resiliency.spec differs from {resiliency.File}'s spec; copy one onto the other.\n"
            + $"values: {Values["dapr"]!["resiliency"]!["spec"]!.ToJsonString()}\ncomponents: {inFolder!.ToJsonString()}");
    }

    [Fact]
    public void The_gateway_runs_the_rate_limit_in_the_configuration_components_define()
    {
        var configuration = Assert.Single(Resources, r => r.Kind == "Configuration"
            && (Find(r.Root, "spec", "httpPipeline", "handlers") as YamlSequenceNode)?.Children.Any(h => Text(h, "type") == "middleware.http.ratelimit") == true);
        var rateLimit = Assert.Single(Resources, r => r.Type == "middleware.http.ratelimit");

        Assert.Equal(configuration.Name, Chart.Text(Values["services"]!["gateway"]!["daprConfig"]));
        Assert.Equal(rateLimit.Metadata("maxRequestsPerSecond"), Chart.Text(Values["dapr"]!["rateLimit"]!["maxRequestsPerSecond"]));

        var template = Chart.Template("dapr-configuration.yaml");
        Assert.Contains($"\"{configuration.Name}\"", template, StringComparison.Ordinal);
        var handler = (YamlMappingNode)((YamlSequenceNode)Find(configuration.Root, "spec", "httpPipeline", "handlers")!).Children[0];
        Assert.Contains($"- name: {Text(handler, "name")}\n        type: {Text(handler, "type")}", template, StringComparison.Ordinal);
        Assert.Contains($"name: {Text(handler, "name")}\n", ComponentsTemplate, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_declares_no_topic_the_code_does_not_use()
    {
        // Subscriptions are declared by the apps (/dapr/subscribe), so the chart should name no
        // topic; if it ever does, it must be one of the code's.
        var known = Topics.All.Concat(AppIds.All.Select(Topics.DeadLetters)).ToHashSet();
        foreach (Match match in TopicName().Matches(Chart.AllTemplates()))
        {
            Assert.True(known.Contains(match.Groups[1].Value), $"charts/send/templates name the topic '{match.Groups[1].Value}', which the code does not use.");
        }
    }

    /// <summary>The app ids of the enabled workloads with <paramref name="flag"/> set (every one for ""), as send.scopes computes them.</summary>
    private static List<string> Scope(string flag) =>
        Values["services"]!.AsObject().Select(e => e.Value!.AsObject())
            .Where(s => Chart.Flag(s, "enabled") && (flag.Length == 0 || Chart.Flag(s, flag)))
            .Select(s => Chart.Text(s["appId"])!)
            .ToList();

    private static Dictionary<string, string?> PlainMetadata(DaprResource component) =>
        ((YamlSequenceNode)Find(component.Root, "spec", "metadata")!).Children.OfType<YamlMappingNode>()
            .Where(entry => Find(entry, "value") is not null)
            .ToDictionary(entry => Text(entry, "name"), entry => (string?)Text(entry, "value"));

    private static (string Name, string Key)? SecretReference(DaprResource component, string metadata) =>
        ((YamlSequenceNode)Find(component.Root, "spec", "metadata")!).Children.OfType<YamlMappingNode>()
            .Where(entry => Text(entry, "name") == metadata && Find(entry, "secretKeyRef") is not null)
            .Select(entry => ((string, string)?)(Text(entry, "secretKeyRef", "name"), Text(entry, "secretKeyRef", "key")))
            .FirstOrDefault();

    private static string Show(Dictionary<string, string?> metadata) =>
        string.Join(", ", metadata.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));

    [GeneratedRegex(@"kind: Component\s*\nmetadata:\s*\n\s+name: (\S+)")]
    private static partial Regex ComponentName();

    [GeneratedRegex(@"(?i)topic\w*:\s*""?([a-z][\w-]*)")]
    private static partial Regex TopicName();
}
