using System.Text.Json.Serialization;

namespace Send.BuildingBlocks.Paging;

/// <summary>Resend's list envelope with cursor pagination: <c>{"object":"list","has_more",…,"data":[…]}</c>.</summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Data, bool HasMore)
{
    [JsonPropertyName("object")] public string ObjectType => "list";
}
