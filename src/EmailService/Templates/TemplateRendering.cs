using System.Text.Json;
using HandlebarsDotNet;
using Send.EmailService.Model;
using Send.Templating;

namespace Send.EmailService.Templates;

/// <summary>A render's result, or the field errors that refused it.</summary>
public sealed record RenderOutcome(RenderedTemplate? Rendered, IDictionary<string, string[]>? Refusal);

/// <summary>
/// One render with every way it can fail turned into field errors under <c>prefix</c>
/// (<c>variables</c> for a preview, <c>template.variables</c> for a send): an unavailable
/// version, layout or partial, a part that does not compile, missing variables in strict mode,
/// or a runtime error such as too-deep partial recursion.
/// </summary>
public static class TemplateRendering
{
    public static async Task<RenderOutcome> RenderAsync(
        TemplateStore store, Template template, int? version, IReadOnlyDictionary<string, JsonElement>? variables, bool strict, string prefix, CancellationToken cancellationToken)
    {
        var (source, refusal) = await LoadAsync(store, template, version, prefix, cancellationToken);
        return source is null ? new RenderOutcome(null, refusal) : Render(source, variables, strict, prefix);
    }

    /// <summary>The named version, else the published one; or the field errors saying why it cannot render.</summary>
    public static async Task<(RenderSource? Source, IDictionary<string, string[]>? Refusal)> LoadAsync(
        TemplateStore store, Template template, int? version, string prefix, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.LoadAsync(template, version, cancellationToken), null);
        }
        catch (TemplateUnavailableException e)
        {
            return (null, Refused(FieldFor(prefix, e.Field), e.Message).Refusal);
        }
        catch (TemplateSyntaxException e)
        {
            return (null, Refused(FieldFor(prefix, "html"), $"A layout or partial does not compile: {e.Reason}, at line {e.Line}, column {e.Column}.").Refusal);
        }
    }

    public static RenderOutcome Render(RenderSource source, IReadOnlyDictionary<string, JsonElement>? variables, bool strict, string prefix)
    {
        RenderedTemplate rendered;
        try
        {
            rendered = source.Compiled.Render(TemplateValues.FromJson(variables), strict);
        }
        catch (HandlebarsException e)
        {
            return Refused(FieldFor(prefix, "html"), $"Template {source.Template.Id} version {source.Version} failed to render: {e.Message.Split('\n')[0]}");
        }

        if (strict && rendered.MissingVariables.Count > 0)
        {
            return new RenderOutcome(null, rendered.MissingVariables.ToDictionary(
                name => $"{prefix}.{name}",
                _ => new[] { $"Required by template {source.Template.Id} version {source.Version} and not given (declare a default, or pass it)." }));
        }

        return new RenderOutcome(rendered, null);
    }

    private static string FieldFor(string prefix, string field) =>
        prefix == "variables" ? field : $"template.{(field == "html" ? "id" : field)}";

    private static RenderOutcome Refused(string field, string message) =>
        new(null, new Dictionary<string, string[]> { [field] = [message] });
}
