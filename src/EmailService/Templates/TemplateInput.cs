using System.Text.Json;
using System.Text.Json.Nodes;
using Send.EmailService.Apis;
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

    private static readonly string[] Known =
        ["name", "alias", "kind", "subject", "html", "text", "layout_id", "defaults", "inline_css", "publish", "from", "reply_to", "variables"];

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

    /// <summary>The sender a send with this template uses when it names none (Resend's template <c>from</c>).</summary>
    public string? From { get; private set; }
    public List<string>? ReplyTo { get; private set; }

    /// <summary>Resend's declared variables (<c>key</c>, <c>type</c>, <c>fallback_value</c>) as defaults: <c>{"key": fallback}</c>, dotted keys nested.</summary>
    public JsonObject? DeclaredDefaults { get; private set; }

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
            case "from":
                if (value.ValueKind == JsonValueKind.String)
                {
                    if (EmailAddresses.TryParse(value.GetString()!, out var mailbox, out var problem))
                    {
                        From = mailbox!.ToString();
                    }
                    else
                    {
                        Add(field, problem);
                    }
                }
                else if (value.ValueKind != JsonValueKind.Null)
                {
                    Add(field, "Must be an address like \"Acme <hello@acme.com>\".");
                }

                return;
            case "reply_to":
                ReplyTo = ReadAddresses(field, value);
                return;
            case "variables":
                DeclaredDefaults = ReadDeclaredVariables(field, value);
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

    /// <summary><paramref name="defaults"/> (a JSON object or null) with the declared fallbacks laid over it.</summary>
    public string? DefaultsWithDeclared(string? defaults)
    {
        if (DeclaredDefaults is null)
        {
            return defaults;
        }

        var merged = defaults is null ? new JsonObject() : JsonNode.Parse(defaults)!.AsObject();
        foreach (var (key, value) in DeclaredDefaults)
        {
            var target = merged;
            var segments = key.Split('.');
            foreach (var segment in segments[..^1])
            {
                if (target[segment] is not JsonObject inner)
                {
                    target[segment] = inner = new JsonObject();
                }

                target = inner;
            }

            target[segments[^1]] = value?.DeepClone();
        }

        return merged.ToJsonString();
    }

    private List<string>? ReadAddresses(string field, JsonElement value)
    {
        var values = value.ValueKind switch
        {
            JsonValueKind.Null => [],
            JsonValueKind.String => [value],
            JsonValueKind.Array => value.EnumerateArray().ToList(),
            _ => null,
        };
        if (values is null || values.Any(v => v.ValueKind != JsonValueKind.String))
        {
            Add(field, "An address or an array of addresses.");
            return null;
        }

        var result = new List<string>();
        foreach (var address in values)
        {
            if (EmailAddresses.TryParse(address.GetString()!, out var mailbox, out var problem))
            {
                result.Add(mailbox!.ToString());
            }
            else
            {
                Add(field, problem);
            }
        }

        return result;
    }

    private JsonObject? ReadDeclaredVariables(string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(field, "An array of {key, type, fallback_value}; the variables a template reads are derived from it.");
            return null;
        }

        var declared = new JsonObject();
        var index = 0;
        foreach (var variable in value.EnumerateArray())
        {
            var name = $"{field}[{index++}]";
            if (variable.ValueKind != JsonValueKind.Object
                || !variable.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || !VariableKey().IsMatch(key.GetString()!))
            {
                Add(name, "Needs a key of letters, digits and '_', dotted for nested values (user.name).");
                continue;
            }

            var type = variable.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "string";
            var fallback = variable.TryGetProperty("fallback_value", out var f) ? f : default;
            if (type is not ("string" or "number"))
            {
                Add($"{name}.type", "Either string or number.");
            }
            else if (fallback.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
                     && fallback.ValueKind != (type == "number" ? JsonValueKind.Number : JsonValueKind.String))
            {
                Add($"{name}.fallback_value", $"Must be a {type}, like its type.");
            }
            else if (fallback.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                declared[key.GetString()!] = JsonNode.Parse(fallback.GetRawText());
            }
        }

        return declared;
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

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex VariableKey();

    [GeneratedRegex("^(?!tmpl_)[a-z0-9][a-z0-9_-]{0,99}$")]
    private static partial Regex AliasPattern();
}
