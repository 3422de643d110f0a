using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Send.Deployment.Tests;

/// <summary>
/// values.schema.json is what helm checks values against before it renders anything. These tests
/// hold it to the chart's own values and scenarios, and prove it refuses what it is there to refuse.
/// </summary>
public sealed class ValuesSchemaTests
{
    private static readonly string SchemaText = File.ReadAllText(Path.Combine(Chart.Folder, "values.schema.json"));
    private static readonly JsonSchema Schema = JsonSchema.FromText(SchemaText);
    private static readonly JsonNode SchemaJson = JsonNode.Parse(SchemaText)!;

    public static TheoryData<string> Scenarios() => [.. Chart.ScenarioFiles()];

    [Fact]
    public void The_default_values_are_valid()
    {
        AssertValid(Chart.Values(), "values.yaml");
    }

    [Fact]
    public void There_are_scenarios_for_each_pub_sub_type()
    {
        var types = Chart.ScenarioFiles().Select(f => Chart.Text(Chart.ValuesWith(f)["dapr"]!["pubsub"]!["type"])).ToHashSet();
        var allowed = SchemaJson["properties"]!["dapr"]!["properties"]!["pubsub"]!["properties"]!["type"]!["enum"]!.AsArray()
            .Select(Chart.Text).ToHashSet();

        Assert.True(allowed.SetEquals(types), $"ci/*.yaml cover the pub/sub types [{string.Join(", ", types)}]; add a scenario for each of [{string.Join(", ", allowed)}].");
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_scenario_is_valid_over_the_default_values(string scenario)
    {
        AssertValid(Chart.ValuesWith(scenario), scenario);
    }

    [Fact]
    public void Every_service_entry_refuses_keys_it_does_not_know()
    {
        Assert.True(SchemaJson["definitions"]?["service"]?["additionalProperties"]?.GetValue<bool>() == false,
            "values.schema.json: definitions.service must say additionalProperties: false, so a misspelt key is an error.");

        foreach (var key in Chart.Workloads(Chart.Values()).Keys)
        {
            var values = Chart.Values();
            values["services"]![key]!["replica"] = 3;
            AssertInvalid(values, $"services.{key}.replica (misspelt replicas)");
        }
    }

    [Fact]
    public void Misspelt_keys_elsewhere_are_refused_too()
    {
        var values = Chart.Values();
        values["dapr"]!["pubsubType"] = "redis";
        AssertInvalid(values, "dapr.pubsubType");

        values = Chart.Values();
        values["secrets"]!["internalIdentity"]!["secret"] = "hunter2-but-longer-than-32-bytes-really";
        AssertInvalid(values, "a literal secret beside secrets.internalIdentity's name and key");
    }

    [Fact]
    public void Credentials_cannot_be_written_into_the_pub_sub_metadata()
    {
        var values = Chart.Values();
        values["dapr"]!["pubsub"]!["snssqs"]!["secretKey"] = "AKIA…";
        AssertInvalid(values, "a static AWS secret key in the SNS/SQS metadata");

        values = Chart.Values();
        values["dapr"]!["pubsub"]!["redis"]!["redisPassword"] = "secret";
        AssertInvalid(values, "a Redis password in the Redis pub/sub metadata");
    }

    [Fact]
    public void A_database_the_code_does_not_know_is_refused()
    {
        var values = Chart.Values();
        values["services"]!["key"]!["database"] = "keys";
        AssertInvalid(values, "services.key.database: keys");
    }

    [Fact]
    public void The_pods_cannot_be_set_to_run_as_root()
    {
        var values = Chart.Values();
        values["securityContext"]!["runAsUser"] = 0;
        AssertInvalid(values, "securityContext.runAsUser: 0");
    }

    private static void AssertValid(JsonObject values, string what)
    {
        var result = Evaluate(values);
        Assert.True(result.IsValid, $"{what} does not match charts/send/values.schema.json:\n{Describe(result)}");
    }

    private static void AssertInvalid(JsonObject values, string what) =>
        Assert.False(Evaluate(values).IsValid, $"values.schema.json accepts {what}; it should refuse it.");

    private static EvaluationResults Evaluate(JsonObject values)
    {
        using var document = JsonDocument.Parse(values.ToJsonString());
        return Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults result) =>
        string.Join('\n', (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation}: {e.Value}")));
}
