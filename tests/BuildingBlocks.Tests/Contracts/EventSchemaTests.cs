using System.Text.Json;
using Send.Contracts;
using Send.TestSupport;

namespace Send.BuildingBlocks.Tests.Contracts;

/// <summary>
/// docs/events holds one JSON Schema per event contract, for consumers in other languages. A
/// contract changed without its schema fails here; <c>scripts/update-event-schemas.sh</c>
/// regenerates them (and the diff then shows reviewers what changed on the wire).
/// </summary>
public sealed class EventSchemaTests
{
    private static readonly string Folder = Path.Combine(Repository.Root, "docs", "events");
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static TheoryData<string> EventTypes() => [.. EventContracts.All.Select(c => c.Type)];

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_contract_has_an_up_to_date_schema(string eventType)
    {
        var contract = EventContracts.All.Single(c => c.Type == eventType).Contract;
        var expected = EventJson.SchemaOf(eventType, contract).ToJsonString(Indented) + "\n";
        var path = Path.Combine(Folder, $"{eventType}.schema.json");
        if (Environment.GetEnvironmentVariable("UPDATE_EVENT_SCHEMAS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run scripts/update-event-schemas.sh.");
        Assert.True(expected == File.ReadAllText(path),
            $"{contract.Name} changed but {Path.GetFileName(path)} did not: run scripts/update-event-schemas.sh and review the diff. A breaking change needs a new version (.v2) instead.");
    }

    [Fact]
    public void No_schema_outlives_its_contract()
    {
        var known = EventContracts.All.Select(c => $"{c.Type}.schema.json").ToHashSet();
        var stray = Directory.GetFiles(Folder, "*.schema.json").Select(Path.GetFileName).Where(name => !known.Contains(name!));
        Assert.Empty(stray);
    }

    [Fact]
    public void Event_types_follow_the_naming_rule()
    {
        Assert.NotEmpty(EventContracts.All);
        Assert.All(EventContracts.All, c => Assert.Matches(@"^send\.[a-z_]+\.[a-z_]+\.v[1-9][0-9]*$", c.Type));
    }
}
