using System.Text.Json.Serialization;

namespace Send.KeyService.Apis;

/// <summary>A key's usage, newest day first. Counts arrive from the Gateway within one sync interval.</summary>
public sealed record ApiKeyUsageList(string ApiKeyId, IReadOnlyList<ApiKeyUsageDay> Data)
{
    [JsonPropertyName("object")] public string ObjectType => "list";
}

public sealed record ApiKeyUsageDay(DateOnly Day, string Service, long Requests);
