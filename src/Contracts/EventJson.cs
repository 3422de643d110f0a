using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Send.Contracts;

/// <summary>
/// The wire format of event data, in the public API's style (snake_case), and the JSON Schema
/// it implies: what a consumer written in another language codes against.
/// </summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
    };

    /// <summary>The JSON Schema (draft 2020-12) of a contract's data, titled with its CloudEvent type.</summary>
    public static JsonObject SchemaOf(string eventType, Type contract)
    {
        var generated = (JsonObject)Options.GetJsonSchemaAsNode(contract, ExporterOptions);
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://send.dev/schemas/events/{eventType}.schema.json",
            ["title"] = eventType,
            ["description"] = $"The data of a CloudEvent of type {eventType} (C# contract {contract.Name}).",
        };
        foreach (var (key, value) in generated)
        {
            schema[key] = value?.DeepClone();
        }

        return schema;
    }
}
