using System.Text.Json;
using System.Text.RegularExpressions;
using Send.EmailService.Data;
using Send.EmailService.Model;

namespace Send.EmailService.Templates;

/// <summary>
/// The fields of a template write, read from the raw JSON so a PATCH can tell "absent" (keep)
/// from <c>null</c> (clear), and a wrong type is named field by field instead of failing the
/// whole body.
/// </summary>
public sealed partial class TemplateInput
{
    public const int MaxPartBytes = 512 * 1024;
    public const int MaxNameLength = 200;

    private static readonly string[] Known = ["name", "alias", "kind", "subject", "html", "text", "layout_id", "defaults", "inline_css", "publish"];

    private readonly Dictionary<string, List<string>> _errors = [];
    private readonly HashSet<string> _present = [];

    public string? Name { get; private set; }
    public string? Alias { get; private set; }
    public string? Kind { get; private set; }
    public string? Subject { get; private set; }
    public string? Html { get; private set; }
    public string? Text { get; private set; }
    public string? LayoutId { get; private set; }
    public string? Defaults { get; private set; }
    public bool? InlineCss { get; private set; }
    public bool Publish { get; private set; }

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    public bool IsValid => _errors.Count == 0;
    public bool Has(string field) => _present.Contains(field);

    public static TemplateInput Read(JsonElement? body)
    {
        var input = new TemplateInput();
        if (body is not { ValueKind: JsonValueKind.Object } json)
        {
            input.Add("", "A JSON object is required.");
            return input;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!Known.Contains(property.Name))
            {
                input.Add(property.Name, $"Unknown field; a template has {string.Join(", ", Known)}.");
                continue;
            }

            input._present.Add(property.Name);
            input.Read(property.Name, property.Value);
        }

        return input;
    }

    private void Read(string field, JsonElement value)
    {
        switch (field)
        {
            case "inline_css" or "publish":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
                {
                    Add(field, "Must be true or false.");
                }
                else if (field == "publish")
                {
                    Publish = value.ValueKind == JsonValueKind.True;
                }
                else
                {
                    InlineCss = value.ValueKind == JsonValueKind.Null ? null : value.GetBoolean();
                }

                return;
            case "defaults":
                if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                {
                    Add(field, "Must be an object of default values, like {\"user\": {\"name\": \"there\"}}.");
                }

                Defaults = value.ValueKind == JsonValueKind.Object ? value.GetRawText() : null;
                return;
        }

        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            Add(field, "Must be a string.");
            return;
        }

        var text = value.GetString();
        switch (field)
        {
            case "name": Name = text; break;
            case "alias": Alias = text; break;
            case "kind": Kind = text; break;
            case "subject": Subject = text; break;
            case "html": Html = text; break;
            case "text": Text = text; break;
            case "layout_id": LayoutId = text; break;
        }
    }

    /// <summary>Checks what a template's content must satisfy once the write is applied.</summary>
    public void CheckContent(string kind, string? name, string? alias, string? subject, string? html, string? text, string? layoutId)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength)
        {
            Add("name", $"Required: 1 to {MaxNameLength} characters.");
        }

        if (alias is not null && !AliasPattern().IsMatch(alias))
        {
            Add("alias", $"1 to {EmailDbContext.TemplateAliasMaxLength} lowercase letters, digits, '-' or '_', starting with a letter or digit, and not starting with 'tmpl_'.");
        }

        if (!TemplateKinds.All.Contains(kind))
        {
            Add("kind", "One of standard, layout or partial.");
            return;
        }

        if (subject is not null && (subject.Length > 998 || subject.Contains('\r', StringComparison.Ordinal) || subject.Contains('\n', StringComparison.Ordinal)))
        {
            Add("subject", "One line of at most 998 characters.");
        }

        foreach (var (part, content) in new[] { ("html", html), ("text", text) })
        {
            if (content is not null && System.Text.Encoding.UTF8.GetByteCount(content) > MaxPartBytes)
            {
                Add(part, $"At most {MaxPartBytes / 1024} KB.");
            }
        }

        if (string.IsNullOrEmpty(html) && string.IsNullOrEmpty(text))
        {
            Add("html", "Give html, text or both.");
        }

        if (kind == TemplateKinds.Layout && string.IsNullOrEmpty(html))
        {
            Add("html", "A layout needs html that places the template's content with {{{@content}}}.");
        }

        if (kind != TemplateKinds.Standard && layoutId is not null)
        {
            Add("layout_id", "Only a standard template has a layout.");
        }

        if (kind == TemplateKinds.Partial && alias is null)
        {
            Add("alias", "A partial is included by its alias ({{> alias}}), so it needs one.");
        }
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    [GeneratedRegex("^(?!tmpl_)[a-z0-9][a-z0-9_-]{0,99}$")]
    private static partial Regex AliasPattern();
}
