using System.Text.Json;
using Send.Contracts;

namespace Send.BuildingBlocks.Messaging;

internal static class MessagingJson
{
    /// <summary>Event data uses the contracts' wire format (snake_case), the one the schemas describe.</summary>
    public static JsonSerializerOptions Options => EventJson.Options;
}
