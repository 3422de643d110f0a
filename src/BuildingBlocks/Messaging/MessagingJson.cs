using System.Text.Json;

namespace Send.BuildingBlocks.Messaging;

internal static class MessagingJson
{
    /// <summary>Event data uses the public wire format's naming: snake_case.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
