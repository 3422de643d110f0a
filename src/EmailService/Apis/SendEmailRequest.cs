using System.Text.Json;
using System.Text.Json.Serialization;

namespace Send.EmailService.Apis;

/// <summary>
/// The body of <c>POST /v1/emails</c>: Resend's fields, plus the seed's <c>priority</c> and
/// <c>unsubscribe</c> (Send adds a one-click List-Unsubscribe link of its own, RFC 8058).
/// </summary>
public sealed record SendEmailRequest(
    string? From,
    Recipients? To,
    Recipients? Cc,
    Recipients? Bcc,
    Recipients? ReplyTo,
    string? Subject,
    string? Html,
    string? Text,
    Dictionary<string, string>? Headers,
    List<AttachmentRequest>? Attachments,
    List<TagRequest>? Tags,
    string? ScheduledAt,
    TemplateRequest? Template,
    string? Priority,
    bool? Unsubscribe = null);

public sealed record AttachmentRequest(string? Filename, string? Content, string? ContentType, string? ContentId, string? Path);

public sealed record TagRequest(string? Name, string? Value);

/// <summary>Send with a template: its id or alias, the variables, and optionally a version other than the published one.</summary>
public sealed record TemplateRequest(string? Id, Dictionary<string, JsonElement>? Variables, int? Version);

/// <summary>One address or a list of them: Resend accepts both for <c>to</c>, <c>cc</c>, <c>bcc</c> and <c>reply_to</c>.</summary>
[JsonConverter(typeof(RecipientsConverter))]
public sealed record Recipients(IReadOnlyList<string> Values);

public sealed class RecipientsConverter : JsonConverter<Recipients>
{
    public override Recipients Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new Recipients([reader.GetString()!]);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected an address or an array of addresses.");
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("Expected an address (a string)."));
        }

        return new Recipients(values);
    }

    public override void Write(Utf8JsonWriter writer, Recipients value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Values, options);
}
