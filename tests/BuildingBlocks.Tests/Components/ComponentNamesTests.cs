using System.Globalization;
using System.Text.RegularExpressions;
using Send.BuildingBlocks.Messaging;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.TestSupport;
using YamlDotNet.RepresentationModel;
using static Send.TestSupport.Yaml;
// Inside Send.BuildingBlocks.Tests, a bare `Components` would name this test's own namespace.
using DaprComponents = Send.Contracts.Components;

namespace Send.BuildingBlocks.Tests.Components;

/// <summary>
/// No daprd runs here, so the Dapr YAML in components/ is checked against the names and numbers
/// the code uses. A mismatch would otherwise show only on a cluster: as a sidecar without the
/// component the code names, or one that retries differently from the local transport.
/// </summary>
public sealed partial class ComponentNamesTests
{
    /// <summary>The services that publish or subscribe (the email worker's sidecar among them); the Gateway does neither.</summary>
    private static readonly string[] MessagingApps = [AppIds.KeyService, AppIds.EmailService, AppIds.EmailWorker, AppIds.EventService, AppIds.WebhookService];

    private static readonly DeliveryOptions Delivery = new();

    private static readonly IReadOnlyList<DaprResource> Resources = DaprResource.LoadComponentsFolder();

    [Fact]
    public void Pub_sub_and_state_store_components_carry_the_names_the_code_uses()
    {
        Assert.True(PubSubComponents().Any(), "components/ holds no pub/sub component (spec.type pubsub.*); add one.");
        Assert.True(ComponentsOfType("state.").Any(), "components/ holds no state store (spec.type state.*); add one.");

        foreach (var component in PubSubComponents())
        {
            Assert.True(component.Name == DaprComponents.PubSub,
                $"{component.File}: the pub/sub component is named '{component.Name}'; name it '{DaprComponents.PubSub}' "
                + "(Send.Contracts.Components.PubSub), the name the services publish and subscribe with.");
        }

        foreach (var component in ComponentsOfType("state."))
        {
            Assert.True(component.Name == DaprComponents.StateStore,
                $"{component.File}: the state store is named '{component.Name}'; name it '{DaprComponents.StateStore}' "
                + "(Send.Contracts.Components.StateStore).");
        }
    }

    [Fact]
    public void Every_scope_names_a_known_app_id()
    {
        foreach (var resource in Resources)
        {
            foreach (var appId in resource.Scopes.Where(s => !AppIds.All.Contains(s)))
            {
                Assert.Fail($"{resource.File}: {resource.Kind} '{resource.Name}' is scoped to '{appId}', which is no app id; "
                    + $"use one of Send.Contracts.AppIds ({string.Join(", ", AppIds.All)}) or add it there.");
            }
        }
    }

    [Fact]
    public void Every_pub_sub_component_is_scoped_to_exactly_the_services_that_use_messaging()
    {
        foreach (var component in PubSubComponents())
        {
            Assert.True(component.Scopes.ToHashSet().SetEquals(MessagingApps),
                $"{component.File}: scopes are [{string.Join(", ", component.Scopes)}]; scope the pub/sub to exactly "
                + $"[{string.Join(", ", MessagingApps)}]: without a scope a service's sidecar has no '{DaprComponents.PubSub}', "
                + "and the Gateway, which never publishes, should get no broker access.");
        }
    }

    [Fact]
    public void Resiliency_targets_name_existing_components_app_ids_and_policies()
    {
        var resiliency = Resiliency();
        var componentNames = Resources.Where(r => r.Kind == "Component").Select(r => r.Name).ToHashSet();

        foreach (var (name, _) in Entries(resiliency.Root, "spec", "targets", "components"))
        {
            Assert.True(componentNames.Contains(name),
                $"{resiliency.File}: targets.components names '{name}', which no Component in components/ defines; "
                + $"use one of [{string.Join(", ", componentNames)}] or remove the target.");
        }

        foreach (var (appId, _) in Entries(resiliency.Root, "spec", "targets", "apps"))
        {
            Assert.True(AppIds.All.Contains(appId),
                $"{resiliency.File}: targets.apps names '{appId}', which is no app id; use one of Send.Contracts.AppIds.");
        }

        // Every policy a target refers to must exist, or the target gets none.
        var policyKinds = new Dictionary<string, string> { ["timeout"] = "timeouts", ["retry"] = "retries", ["circuitBreaker"] = "circuitBreakers" };
        var targets = Entries(resiliency.Root, "spec", "targets", "apps").Select(e => (Target: $"apps.{e.Key}", Policies: e.Value))
            .Concat(Entries(resiliency.Root, "spec", "targets", "components").SelectMany(component =>
                ((YamlMappingNode)component.Value).Children.Select(direction =>
                    (Target: $"components.{component.Key}.{Text(direction.Key)}", Policies: direction.Value))));
        foreach (var (target, policies) in targets)
        {
            foreach (var (kind, policy) in ((YamlMappingNode)policies).Children.Select(c => (Text(c.Key), Text(c.Value))))
            {
                if (policyKinds.TryGetValue(kind, out var section))
                {
                    Assert.True(Entries(resiliency.Root, "spec", "policies", section).Any(p => p.Key == policy),
                        $"{resiliency.File}: targets.{target}.{kind} names '{policy}', which is not under policies.{section}; define it there.");
                }
            }
        }
    }

    [Fact]
    public void Resiliency_gives_deliveries_the_retries_and_timeout_of_the_local_transport()
    {
        var resiliency = Resiliency();
        var inbound = (YamlMappingNode?)Find(resiliency.Root, "spec", "targets", "components", DaprComponents.PubSub, "inbound");
        Assert.True(inbound is not null, $"{resiliency.File}: add targets.components.{DaprComponents.PubSub}.inbound with a retry and a timeout.");

        var retryName = Text(inbound, "retry");
        var retry = (YamlMappingNode?)Find(resiliency.Root, "spec", "policies", "retries", retryName);
        Assert.True(retry is not null, $"{resiliency.File}: the inbound retry policy '{retryName}' is missing under policies.retries.");

        Assert.True(Text(retry, "policy") == "exponential",
            $"{resiliency.File}: retry '{retryName}' must be 'exponential', as the local transport backs off exponentially.");
        Assert.True(int.Parse(Text(retry, "maxRetries"), CultureInfo.InvariantCulture) + 1 == Delivery.MaxAttempts,
            $"{resiliency.File}: retry '{retryName}' has maxRetries {Text(retry, "maxRetries")}; set it to {Delivery.MaxAttempts - 1} "
            + $"(DeliveryOptions.MaxAttempts {Delivery.MaxAttempts} minus the first attempt), or change both.");
        Assert.True(GoDuration(Text(retry, "maxInterval")) == Delivery.MaxBackoff,
            $"{resiliency.File}: retry '{retryName}' has maxInterval {Text(retry, "maxInterval")}; set it to "
            + $"{Delivery.MaxBackoff.TotalSeconds}s (DeliveryOptions.MaxBackoff), or change both.");

        var timeoutName = Text(inbound, "timeout");
        var timeout = Text(resiliency.Root, "spec", "policies", "timeouts", timeoutName);
        Assert.True(GoDuration(timeout) == Delivery.Timeout,
            $"{resiliency.File}: the inbound timeout '{timeoutName}' is {timeout}; set it to {Delivery.Timeout.TotalSeconds}s "
            + "(DeliveryOptions.Timeout), or change both.");
    }

    [Fact]
    public void A_message_is_not_handed_to_another_replica_while_its_sidecar_still_retries_it()
    {
        // The longest a live sidecar keeps a message: every attempt times out, with the longest wait between.
        var longestDelivery = Delivery.Timeout * Delivery.MaxAttempts + Delivery.MaxBackoff * (Delivery.MaxAttempts - 1);

        foreach (var component in ComponentsOfType("pubsub.redis"))
        {
            var processingTimeout = component.Metadata("processingTimeout");
            Assert.True(processingTimeout is not null && GoDuration(processingTimeout) > longestDelivery,
                $"{component.File}: processingTimeout is '{processingTimeout}'; set it above {longestDelivery.TotalMinutes} min "
                + "(MaxAttempts x Timeout + (MaxAttempts - 1) x MaxBackoff), or a message still in progress is delivered twice at once.");
        }

        foreach (var component in ComponentsOfType("pubsub.aws.snssqs"))
        {
            var visibility = component.Metadata("messageVisibilityTimeout");
            Assert.True(visibility is not null && TimeSpan.FromSeconds(int.Parse(visibility, CultureInfo.InvariantCulture)) > longestDelivery,
                $"{component.File}: messageVisibilityTimeout is '{visibility}'; set it above {longestDelivery.TotalSeconds} seconds "
                + "(MaxAttempts x Timeout + (MaxAttempts - 1) x MaxBackoff), or a message still in progress is delivered twice at once.");

            var receiveLimit = component.Metadata("messageReceiveLimit");
            Assert.True(receiveLimit == Delivery.MaxDeliveries.ToString(CultureInfo.InvariantCulture),
                $"{component.File}: messageReceiveLimit is '{receiveLimit}'; set it to {Delivery.MaxDeliveries} "
                + "(DeliveryOptions.MaxDeliveries), so both transports give up on a message after as many unsettled deliveries.");
        }
    }

    [Fact]
    public void Redis_pub_sub_caps_streams_like_the_local_publisher()
    {
        var redis = ComponentsOfType("pubsub.redis").ToList();
        Assert.True(redis.Count > 0, "components/ holds no pubsub.redis component; restore pubsub-redis.yaml.");

        foreach (var component in redis)
        {
            var maxLen = component.Metadata("maxLenApprox");
            Assert.True(maxLen == RedisStreamsPublisher.MaxLength.ToString(CultureInfo.InvariantCulture),
                $"{component.File}: maxLenApprox is '{maxLen}'; set it to {RedisStreamsPublisher.MaxLength} "
                + "(RedisStreamsPublisher.MaxLength), so streams are capped alike under both transports.");
        }
    }

    [Fact]
    public void Topics_named_in_the_yaml_are_topics_of_the_code()
    {
        var known = Topics.All.Concat(AppIds.All.Select(Topics.DeadLetters)).ToHashSet();

        foreach (var resource in Resources)
        {
            foreach (var topic in TopicsNamedIn(resource.Root).Where(t => !known.Contains(t)))
            {
                Assert.Fail($"{resource.File}: {resource.Kind} '{resource.Name}' names the topic '{topic}', which the code does not use; "
                    + "use one of Send.Contracts.Topics (or a '{appId}-dead-letters' topic) or add it there.");
            }
        }
    }

    private static IEnumerable<DaprResource> ComponentsOfType(string typePrefix) =>
        Resources.Where(r => r.Kind == "Component" && r.Type?.StartsWith(typePrefix, StringComparison.Ordinal) == true);

    private static IEnumerable<DaprResource> PubSubComponents() => ComponentsOfType("pubsub.");

    private static DaprResource Resiliency()
    {
        var all = Resources.Where(r => r.Kind == "Resiliency").ToList();
        Assert.True(all.Count == 1, $"components/ holds {all.Count} Resiliency resources; keep exactly one (resiliency.yaml).");
        return all[0];
    }

    /// <summary>
    /// The values of every key with "topic" in its name (topic, deadLetterTopic…) and of every
    /// component metadata entry so named (allowedTopics…, whose value lists topics with commas).
    /// </summary>
    private static IEnumerable<string> TopicsNamedIn(YamlNode node) => node switch
    {
        YamlMappingNode entry when IsTopicName(Text(entry, "name")) && Find(entry, "value") is YamlScalarNode value => Split(value.Value),
        YamlMappingNode mapping => mapping.Children.SelectMany(child =>
            IsTopicName(Text(child.Key)) && child.Value is YamlScalarNode value ? Split(value.Value) : TopicsNamedIn(child.Value)),
        YamlSequenceNode sequence => sequence.Children.SelectMany(TopicsNamedIn),
        _ => [],
    };

    private static bool IsTopicName(string? key) => key?.Contains("topic", StringComparison.OrdinalIgnoreCase) == true;

    private static string[] Split(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Go's duration syntax as Dapr reads it (30s, 1m30s, 500ms); a bare number is milliseconds.</summary>
    private static TimeSpan GoDuration(string value)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        var parts = DurationPart().Matches(value);
        Assert.True(parts.Count > 0 && string.Concat(parts.Select(p => p.Value)) == value, $"'{value}' is not a duration like 30s or 1m30s.");
        return parts.Aggregate(TimeSpan.Zero, (sum, part) =>
        {
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        });
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex DurationPart();
}
