using System.Text.Json;

namespace Send.Gateway.Authentication;

internal static class GatewayJson
{
    /// <summary>The services answer in snake_case, the wire format of the whole API.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
