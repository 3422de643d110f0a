using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.Templating;

namespace Send.EmailService.Templates;

/// <summary>A template version ready to render, or why it cannot be.</summary>
public sealed record RenderSource(Template Template, int Version, CompiledTemplate Compiled);

/// <summary>
/// Finds an organization's templates by id or alias and assembles what a render needs: the
/// version's content, its layout and the partials it includes (layouts and partials render at
/// their latest version, as building blocks do). The compiled result is cached under a key
/// made of every version involved, so a cache entry is never stale.
/// </summary>
public sealed class TemplateStore(EmailDbContext db, CompiledTemplateCache cache)
{
    private const int MaxPartialNesting = 5;

    public Task<Template?> FindAsync(string organizationId, string idOrAlias, CancellationToken cancellationToken, bool tracked = false)
    {
        var templates = tracked ? db.Templates : db.Templates.AsNoTracking();
        return templates
            .Where(t => t.OrganizationId == organizationId && (t.Id == idOrAlias || (t.Alias == idOrAlias && t.Status != TemplateStatuses.Archived)))
            .OrderBy(t => t.Status == TemplateStatuses.Archived)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The named version, else the published one (previews name the latest). Throws
    /// <see cref="TemplateUnavailableException"/>.
    /// </summary>
    public async Task<RenderSource> LoadAsync(Template template, int? version, CancellationToken cancellationToken)
    {
        var number = version ?? template.PublishedVersion
            ?? throw new TemplateUnavailableException("version", $"Template {template.Id} has no published version: publish it, or name a version.");
        var content = await db.TemplateVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.TemplateId == template.Id && v.Version == number, cancellationToken)
            ?? throw new TemplateUnavailableException("version", $"Template {template.Id} has no version {number}; it has versions 1 to {template.Version}.");

        var layout = content.LayoutId is null ? null
            : await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == content.LayoutId && t.OrganizationId == template.OrganizationId, cancellationToken);
        var partials = await PartialsAsync(template.OrganizationId, content.Partials.Concat(layout is null ? [] : Analyze(layout).Partials), cancellationToken);

        var key = $"{template.Id}:{number}|{layout?.Id}:{layout?.Version}|" + string.Join(',', partials.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Id}:{p.Value.Version}"));
        var compiled = cache.GetOrCompile(key, () => new TemplateDefinition(
            new TemplateParts(content.Subject, content.Html, content.Text),
            layout is null ? null : new TemplateParts(null, layout.Html, layout.Text),
            partials.ToDictionary(p => p.Key, p => new TemplateParts(null, p.Value.Html, p.Value.Text), StringComparer.Ordinal),
            Defaults(content.Defaults),
            content.InlineCss));
        return new RenderSource(template, number, compiled);
    }

    /// <summary>The organization's live partials with these aliases, and the partials they include in turn.</summary>
    public async Task<Dictionary<string, Template>> PartialsAsync(string organizationId, IEnumerable<string> aliases, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Template>(StringComparer.Ordinal);
        var wanted = aliases.Distinct(StringComparer.Ordinal).ToList();
        for (var depth = 0; wanted.Count > 0; depth++)
        {
            if (depth == MaxPartialNesting)
            {
                throw new TemplateUnavailableException("html", $"Partials nest more than {MaxPartialNesting} deep ({string.Join(", ", wanted)}).");
            }

            var batch = await db.Templates.AsNoTracking()
                .Where(t => t.OrganizationId == organizationId && t.Kind == TemplateKinds.Partial && t.Status != TemplateStatuses.Archived && wanted.Contains(t.Alias!))
                .ToListAsync(cancellationToken);
            if (wanted.Except(batch.Select(p => p.Alias!)).FirstOrDefault() is { } unknown)
            {
                throw new TemplateUnavailableException("html", $"The partial '{unknown}' does not exist: create a template of kind partial with that alias.");
            }

            foreach (var partial in batch)
            {
                found[partial.Alias!] = partial;
            }

            wanted = [.. batch.SelectMany(p => Analyze(p).Partials).Distinct().Where(a => !found.ContainsKey(a))];
        }

        return found;
    }

    public static IReadOnlyDictionary<string, object?>? Defaults(string? json) =>
        json is null ? null : TemplateValues.FromJson(JsonDocument.Parse(json).RootElement);

    private static TemplateAnalysis Analyze(Template template) => CompiledTemplate.Analyze(new TemplateParts(null, template.Html, template.Text));
}

/// <summary>A template, version, layout or partial that a render needs and cannot have; <see cref="Field"/> says which.</summary>
public sealed class TemplateUnavailableException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
