using System.Text.Json;

namespace Send.EventService.Ingestion;

/// <summary>Reads a provider's JSON body; a body that is not JSON is a 400 naming what it should have been.</summary>
public static class ProviderJson
{
    public static JsonElement Parse(string text, string expected)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw ProviderPayloadException.Malformed($"{expected} (JSON): {ex.Message}", ex);
        }
    }
}
