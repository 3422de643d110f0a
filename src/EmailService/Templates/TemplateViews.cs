using System.Text.Json;
using System.Text.Json.Serialization;
using Send.EmailService.Model;

namespace Send.EmailService.Templates;

/// <summary>A template with its latest content, derived variables and publishing state.</summary>
public sealed record TemplateView(
    [property: JsonPropertyName("object")] string Kind,
    string Id,
    string Name,
    string? Alias,
    [property: JsonPropertyName("kind")] string TemplateKind,
    string Status,
    int Version,
    int? PublishedVersion,
    string? Subject,
    string? Html,
    string? Text,
    string? LayoutId,
    JsonElement? Defaults,
    bool InlineCss,
    IReadOnlyList<VariableView> Variables,
    string? From,
    IReadOnlyList<string> ReplyTo,
    bool HasUnpublishedVersions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt)
{
    public static TemplateView Of(Template t) => new(
        "template", t.Id, t.Name, t.Alias, t.Kind, t.Status, t.Version, t.PublishedVersion, t.Subject, t.Html, t.Text, t.LayoutId,
        JsonOf(t.Defaults), t.InlineCss, VariableView.Of(t.Variables, JsonOf(t.Defaults)), t.From, t.ReplyTo, t.PublishedVersion != t.Version,
        t.CreatedAt, t.UpdatedAt, t.PublishedAt);

    public static JsonElement? JsonOf(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

/// <summary>A derived variable, with Resend's <c>key</c> and <c>fallback_value</c> (from the declared defaults) beside Send's fields.</summary>
public sealed record VariableView(string Key, string Name, string Type, bool Required, JsonElement? FallbackValue)
{
    public static List<VariableView> Of(IEnumerable<StoredVariable> variables, JsonElement? defaults) =>
        [.. variables.Select(v => new VariableView(v.Name, v.Name, v.Type, v.Required, Fallback(defaults, v.Name)))];

    private static JsonElement? Fallback(JsonElement? defaults, string name)
    {
        var current = defaults;
        foreach (var segment in name.Split('.'))
        {
            if (current is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(segment, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }
}

/// <summary>A template in a list: what it is and where it stands, without its content.</summary>
public sealed record TemplateSummaryView(
    [property: JsonPropertyName("object")] string Kind,
    string Id,
    string Name,
    string? Alias,
    [property: JsonPropertyName("kind")] string TemplateKind,
    string Status,
    int Version,
    int? PublishedVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TemplateSummaryView Of(Template t) =>
        new("template", t.Id, t.Name, t.Alias, t.Kind, t.Status, t.Version, t.PublishedVersion, t.CreatedAt, t.UpdatedAt);
}

public sealed record TemplateVersionView(
    [property: JsonPropertyName("object")] string Kind,
    string TemplateId,
    int Version,
    bool Published,
    string? Subject,
    string? Html,
    string? Text,
    string? LayoutId,
    JsonElement? Defaults,
    bool InlineCss,
    IReadOnlyList<StoredVariable> Variables,
    IReadOnlyList<string> Partials,
    DateTimeOffset CreatedAt)
{
    public static TemplateVersionView Of(TemplateVersion v, int? published) => new(
        "template_version", v.TemplateId, v.Version, v.Version == published, v.Subject, v.Html, v.Text, v.LayoutId,
        TemplateView.JsonOf(v.Defaults), v.InlineCss, v.Variables, v.Partials, v.CreatedAt);
}

public sealed record TemplateVersionPage(
    [property: JsonPropertyName("object")] string Kind,
    IReadOnlyList<TemplateVersionView> Data,
    bool HasMore);

/// <summary>A preview: the rendered parts and every required variable the given ones leave empty.</summary>
public sealed record RenderedTemplateView(
    [property: JsonPropertyName("object")] string Kind,
    string TemplateId,
    int Version,
    string? Subject,
    string? Html,
    string? Text,
    IReadOnlyList<string> MissingVariables);

public sealed record DeletedTemplateView([property: JsonPropertyName("object")] string Kind, string Id, bool Deleted);

public sealed record RenderTemplateRequest(Dictionary<string, JsonElement>? Variables, int? Version, bool? Strict);

public sealed record PublishTemplateRequest(int? Version);

public sealed record DuplicateTemplateRequest(string? Name, string? Alias);
