using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.Templating;
using Microsoft.EntityFrameworkCore;

namespace Send.EmailService.Templates;

/// <summary>
/// Checks a template's new content against everything it refers to and applies it: the
/// Handlebars parses (with the parser's position when not), the layout is a live layout of
/// the organization, the included partials exist, and a layout places <c>{{{@content}}}</c>.
/// A change of content adds the next immutable version.
/// </summary>
public sealed class TemplateContent(EmailDbContext db, TemplateStore store)
{
    public sealed record Draft(string Kind, string Name, string? Alias, string? Subject, string? Html, string? Text, string? LayoutId, string? Defaults, bool InlineCss);

    /// <summary>Validates <paramref name="draft"/> into <paramref name="input"/>'s errors; returns the resolved layout id and the derived variables.</summary>
    public async Task<(string? LayoutId, List<StoredVariable> Variables, List<string> Partials)> CheckAsync(
        TemplateInput input, Draft draft, string organizationId, string? selfId, CancellationToken cancellationToken)
    {
        input.CheckContent(draft.Kind, draft.Name, draft.Alias, draft.Subject, draft.Html, draft.Text, draft.LayoutId);
        if (!input.IsValid)
        {
            return (null, [], []);
        }

        TemplateAnalysis analysis;
        try
        {
            analysis = CompiledTemplate.Analyze(new TemplateParts(draft.Subject, draft.Html, draft.Text));
            CompiledTemplate.Compile(new TemplateDefinition(new TemplateParts(draft.Subject, draft.Html, draft.Text)));
        }
        catch (TemplateSyntaxException e)
        {
            input.Add(e.Part ?? "html", $"{e.Reason}, at line {e.Line}, column {e.Column}.");
            return (null, [], []);
        }

        if (draft.Kind == TemplateKinds.Layout && !CompiledTemplate.Analyze(new TemplateParts(null, draft.Html, null)).PlacesContent)
        {
            input.Add("html", "A layout must place the template's content with {{{@content}}}.");
        }

        if (draft.Kind == TemplateKinds.Partial && draft.Alias is not null && analysis.Partials.Contains(draft.Alias))
        {
            input.Add("html", "A partial cannot include itself.");
        }

        try
        {
            await store.PartialsAsync(organizationId, analysis.Partials, cancellationToken);
        }
        catch (TemplateUnavailableException e)
        {
            input.Add(e.Field, e.Message);
        }

        string? layoutId = null;
        if (draft.LayoutId is not null)
        {
            var layout = await store.FindAsync(organizationId, draft.LayoutId, cancellationToken);
            if (layout is null || layout.Kind != TemplateKinds.Layout || layout.Status == TemplateStatuses.Archived || layout.Id == selfId)
            {
                input.Add("layout_id", $"{draft.LayoutId} is not a live layout of your organization (a template of kind layout).");
            }

            layoutId = layout?.Id;
        }

        var variables = analysis.Variables.Flatten()
            .Select(v => new StoredVariable(v.Name, v.Kind switch { VariableKind.List => "list", VariableKind.Record => "object", _ => "value" }, v.Required))
            .ToList();
        return (layoutId, variables, [.. analysis.Partials]);
    }

    /// <summary>Writes the content onto the template and, when it differs from the latest version, adds the next version.</summary>
    public void Apply(Template template, Draft draft, string? layoutId, List<StoredVariable> variables, List<string> partials, DateTimeOffset now)
    {
        var changed = template.Version == 0
            || template.Subject != draft.Subject || template.Html != draft.Html || template.Text != draft.Text
            || template.LayoutId != layoutId || !SameJson(template.Defaults, draft.Defaults) || template.InlineCss != draft.InlineCss;
        template.Name = draft.Name;
        template.Alias = draft.Alias;
        template.UpdatedAt = now;
        if (!changed)
        {
            return;
        }

        template.Version++;
        template.Subject = draft.Subject;
        template.Html = draft.Html;
        template.Text = draft.Text;
        template.LayoutId = layoutId;
        template.Defaults = draft.Defaults;
        template.InlineCss = draft.InlineCss;
        template.Variables = variables;
        db.TemplateVersions.Add(new TemplateVersion
        {
            TemplateId = template.Id, Version = template.Version, Subject = draft.Subject, Html = draft.Html, Text = draft.Text, LayoutId = layoutId,
            Defaults = draft.Defaults, InlineCss = draft.InlineCss, Variables = variables, Partials = partials, CreatedAt = now,
        });
    }

    public static void Publish(Template template, int version, DateTimeOffset now)
    {
        template.PublishedVersion = version;
        template.PublishedAt = now;
        template.Status = TemplateStatuses.Active;
        template.UpdatedAt = now;
    }

    /// <summary>Whether another live template of the organization already has this alias.</summary>
    public Task<bool> AliasTakenAsync(string organizationId, string alias, string? exceptId, CancellationToken cancellationToken) =>
        db.Templates.AnyAsync(t => t.OrganizationId == organizationId && t.Alias == alias && t.Status != TemplateStatuses.Archived && t.Id != exceptId, cancellationToken);

    private static bool SameJson(string? a, string? b) =>
        a == b || (a is not null && b is not null && System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(a), System.Text.Json.Nodes.JsonNode.Parse(b)));
}
