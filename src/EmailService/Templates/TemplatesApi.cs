using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Paging;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;
using Send.Templating;

namespace Send.EmailService.Templates;

/// <summary>
/// <c>/v1/templates</c>: versioned Handlebars templates, layouts and partials. Every path takes
/// the template's id or its alias.
/// </summary>
public static class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/templates").WithTags("Templates");
        api.MapPost("/", Create).WithSummary("Create a template (version 1)");
        api.MapGet("/", List).WithSummary("List templates, newest first");
        api.MapGet("/{id}", Get).WithSummary("Retrieve a template with its latest content and variables");
        api.MapPut("/{id}", (string id, JsonElement? body, Caller caller, EmailDbContext db, TemplateStore store, TemplateContent content, TimeProvider clock, CancellationToken ct) =>
            Update(id, body, replace: true, caller, db, store, content, clock, ct)).WithSummary("Replace a template's content (a new version when it changes)");
        api.MapPatch("/{id}", (string id, JsonElement? body, Caller caller, EmailDbContext db, TemplateStore store, TemplateContent content, TimeProvider clock, CancellationToken ct) =>
            Update(id, body, replace: false, caller, db, store, content, clock, ct)).WithSummary("Change some of a template's fields (a new version when content changes)");
        api.MapDelete("/{id}", Archive).WithSummary("Archive a template (its versions are kept)");
        api.MapPost("/{id}/publish", Publish).WithSummary("Publish the latest or a named version for sending");
        api.MapPost("/{id}/duplicate", Duplicate).WithSummary("Copy a template's latest content into a new draft");
        api.MapGet("/{id}/versions", Versions).WithSummary("A template's versions, newest first");
        api.MapPost("/{id}/render", Render).WithSummary("Preview: render a version with variables");
        return app;
    }

    public static async Task<Results<Created<TemplateView>, ProblemHttpResult>> Create(
        JsonElement? body, Caller caller, EmailDbContext db, TemplateContent content, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.RequiredOrganizationId;
        var input = TemplateInput.Read(body);
        if (!input.IsValid)
        {
            return Problems.Validation(input.Errors);
        }

        var draft = new TemplateContent.Draft(input.Kind ?? TemplateKinds.Standard, input.Name ?? "", input.Alias, input.Subject, input.Html, input.Text,
            input.LayoutId, input.DefaultsWithDeclared(input.Defaults), input.InlineCss ?? false);
        return await NewTemplateAsync(input, draft, organizationId, input.From, input.ReplyTo ?? [], input.Publish, db, content, clock, cancellationToken);
    }

    /// <summary>Checks a new template's draft and stores it as version 1 (a create or a duplicate).</summary>
    private static async Task<Results<Created<TemplateView>, ProblemHttpResult>> NewTemplateAsync(
        TemplateInput input, TemplateContent.Draft draft, string organizationId, string? from, List<string> replyTo, bool publish,
        EmailDbContext db, TemplateContent content, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (layoutId, variables, partials) = await content.CheckAsync(input, draft, organizationId, null, cancellationToken);
        if (!input.IsValid)
        {
            return Problems.Validation(input.Errors);
        }

        if (draft.Alias is not null && await content.AliasTakenAsync(organizationId, draft.Alias, null, cancellationToken))
        {
            return AliasTaken(draft.Alias);
        }

        var now = clock.GetUtcNow();
        var template = new Template
        {
            Id = Ids.New("tmpl"), OrganizationId = organizationId, Name = draft.Name, Kind = draft.Kind, Status = TemplateStatuses.Draft, CreatedAt = now,
            From = from, ReplyTo = replyTo,
        };
        db.Templates.Add(template);
        content.Apply(template, draft, layoutId, variables, partials, now);
        if (publish)
        {
            TemplateContent.Publish(template, template.Version, now);
        }

        return await SaveAsync(db, draft.Alias, cancellationToken) ?? (Results<Created<TemplateView>, ProblemHttpResult>)TypedResults.Created($"/v1/templates/{template.Id}", TemplateView.Of(template));
    }

    public static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> Update(
        string id, JsonElement? body, bool replace, Caller caller, EmailDbContext db, TemplateStore store, TemplateContent content, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.RequiredOrganizationId;
        var template = await store.FindAsync(organizationId, id, cancellationToken, tracked: true);
        if (template is null)
        {
            return Problems.NotFound($"Template {id} not found.");
        }

        if (template.Status == TemplateStatuses.Archived)
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Template {template.Id} is archived; duplicate it to work on it again.");
        }

        var input = TemplateInput.Read(body);
        if (input.Has("kind") && input.Kind != template.Kind)
        {
            input.Add("kind", $"A template's kind does not change (this one is a {template.Kind}); create a new template instead.");
        }

        if (!input.IsValid)
        {
            return Problems.Validation(input.Errors);
        }

        T Pick<T>(string field, T given, T current, T cleared) => input.Has(field) ? given : replace ? cleared : current;
        var draft = new TemplateContent.Draft(template.Kind,
            Pick("name", input.Name, template.Name, null) ?? "",
            Pick("alias", input.Alias, template.Alias, null),
            Pick("subject", input.Subject, template.Subject, null),
            Pick("html", input.Html, template.Html, null),
            Pick("text", input.Text, template.Text, null),
            Pick("layout_id", input.LayoutId, template.LayoutId, null),
            input.DefaultsWithDeclared(Pick("defaults", input.Defaults, template.Defaults, null)),
            Pick("inline_css", input.InlineCss, template.InlineCss, false) ?? false);
        var (layoutId, variables, partials) = await content.CheckAsync(input, draft, organizationId, template.Id, cancellationToken);
        if (!input.IsValid)
        {
            return Problems.Validation(input.Errors);
        }

        if (draft.Alias is not null && draft.Alias != template.Alias && await content.AliasTakenAsync(organizationId, draft.Alias, template.Id, cancellationToken))
        {
            return AliasTaken(draft.Alias);
        }

        var now = clock.GetUtcNow();
        template.From = Pick("from", input.From, template.From, null);
        template.ReplyTo = Pick("reply_to", input.ReplyTo, template.ReplyTo, []) ?? [];
        content.Apply(template, draft, layoutId, variables, partials, now);
        if (input.Publish)
        {
            TemplateContent.Publish(template, template.Version, now);
        }

        return await SaveAsync(db, draft.Alias, cancellationToken) ?? (Results<Ok<TemplateView>, ProblemHttpResult>)TypedResults.Ok(TemplateView.Of(template));
    }

    public static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> Get(string id, Caller caller, TemplateStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(caller.RequiredOrganizationId, id, cancellationToken) is { } template
            ? TypedResults.Ok(TemplateView.Of(template))
            : Problems.NotFound($"Template {id} not found.");

    public static async Task<Results<Ok<CursorPage<TemplateSummaryView>>, ProblemHttpResult>> List(
        Caller caller, EmailDbContext db, int? limit, string? after, string? before, string? status, string? kind, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        if (status is not null and not (TemplateStatuses.Draft or TemplateStatuses.Active or TemplateStatuses.Archived))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["status"] = ["One of draft, active or archived."] });
        }

        if (kind is not null && !TemplateKinds.All.Contains(kind))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["kind"] = ["One of standard, layout or partial."] });
        }

        var organizationId = caller.RequiredOrganizationId;
        var templates = db.Templates.AsNoTracking().Where(t => t.OrganizationId == organizationId);
        templates = status is null ? templates.Where(t => t.Status != TemplateStatuses.Archived) : templates.Where(t => t.Status == status);
        if (kind is not null)
        {
            templates = templates.Where(t => t.Kind == kind);
        }

        return TypedResults.Ok(await templates.ToCursorPageAsync(page, t => t.Id, TemplateSummaryView.Of, cancellationToken));
    }

    /// <summary>
    /// Archives rather than deletes: every version stays, so an email already rendered from it
    /// keeps its source. A layout or partial that live templates still use is refused.
    /// </summary>
    public static async Task<Results<Ok<DeletedTemplateView>, ProblemHttpResult>> Archive(
        string id, Caller caller, EmailDbContext db, TemplateStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.RequiredOrganizationId;
        var template = await store.FindAsync(organizationId, id, cancellationToken, tracked: true);
        if (template is null)
        {
            return Problems.NotFound($"Template {id} not found.");
        }

        if (template.Status != TemplateStatuses.Archived)
        {
            var users = await UsersAsync(db, template, cancellationToken);
            if (users.Count > 0)
            {
                return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict,
                    $"The {template.Kind} {template.Id} is used by live templates ({string.Join(", ", users)}); change or archive them first.");
            }

            template.Status = TemplateStatuses.Archived;
            template.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(new DeletedTemplateView("template", template.Id, true));
    }

    public static async Task<Results<Ok<TemplateView>, ProblemHttpResult>> Publish(
        string id, PublishTemplateRequest? request, Caller caller, EmailDbContext db, TemplateStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var template = await store.FindAsync(caller.RequiredOrganizationId, id, cancellationToken, tracked: true);
        if (template is null)
        {
            return Problems.NotFound($"Template {id} not found.");
        }

        if (template.Status == TemplateStatuses.Archived)
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Template {template.Id} is archived.");
        }

        var version = request?.Version ?? template.Version;
        if (version < 1 || version > template.Version)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["version"] = [$"Template {template.Id} has versions 1 to {template.Version}."] });
        }

        TemplateContent.Publish(template, version, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(TemplateView.Of(template));
    }

    public static async Task<Results<Created<TemplateView>, ProblemHttpResult>> Duplicate(
        string id, DuplicateTemplateRequest? request, Caller caller, EmailDbContext db, TemplateStore store, TemplateContent content, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.RequiredOrganizationId;
        var source = await store.FindAsync(organizationId, id, cancellationToken);
        if (source is null)
        {
            return Problems.NotFound($"Template {id} not found.");
        }

        var input = new TemplateInput();
        var draft = new TemplateContent.Draft(source.Kind, request?.Name ?? $"{source.Name} (copy)", request?.Alias, source.Subject, source.Html, source.Text,
            source.LayoutId is { } layout && await store.FindAsync(organizationId, layout, cancellationToken) is { Status: not TemplateStatuses.Archived } ? layout : null,
            source.Defaults, source.InlineCss);
        return await NewTemplateAsync(input, draft, organizationId, source.From, source.ReplyTo, publish: false, db, content, clock, cancellationToken);
    }

    public static async Task<Results<Ok<TemplateVersionPage>, ProblemHttpResult>> Versions(
        string id, int? limit, int? after, Caller caller, EmailDbContext db, TemplateStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > CursorQuery.MaxLimit)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = [$"Must be between 1 and {CursorQuery.MaxLimit}."] });
        }

        var template = await store.FindAsync(caller.RequiredOrganizationId, id, cancellationToken);
        if (template is null)
        {
            return Problems.NotFound($"Template {id} not found.");
        }

        var take = limit ?? CursorQuery.DefaultLimit;
        var versions = await db.TemplateVersions.AsNoTracking()
            .Where(v => v.TemplateId == template.Id && (after == null || v.Version < after))
            .OrderByDescending(v => v.Version).Take(take + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(new TemplateVersionPage("list", [.. versions.Take(take).Select(v => TemplateVersionView.Of(v, template.PublishedVersion))], versions.Count > take));
    }

    /// <summary>Renders the latest version (or a named one) for a preview; lenient unless <c>strict</c>.</summary>
    public static async Task<Results<Ok<RenderedTemplateView>, ProblemHttpResult>> Render(
        string id, RenderTemplateRequest? request, Caller caller, TemplateStore store, CancellationToken cancellationToken)
    {
        var template = await store.FindAsync(caller.RequiredOrganizationId, id, cancellationToken);
        if (template is null)
        {
            return Problems.NotFound($"Template {id} not found.");
        }

        var version = request?.Version ?? template.Version;
        var outcome = await TemplateRendering.RenderAsync(store, template, version, request?.Variables, request?.Strict ?? false, "variables", cancellationToken);
        return outcome.Refusal is { } refusal
            ? Problems.Validation(refusal)
            : TypedResults.Ok(new RenderedTemplateView("rendered_template", template.Id, version, outcome.Rendered!.Subject, outcome.Rendered.Html, outcome.Rendered.Text,
                outcome.Rendered.MissingVariables));
    }

    private static async Task<List<string>> UsersAsync(EmailDbContext db, Template template, CancellationToken cancellationToken)
    {
        var live = db.Templates.AsNoTracking().Where(t => t.OrganizationId == template.OrganizationId && t.Status != TemplateStatuses.Archived && t.Id != template.Id);
        return template.Kind switch
        {
            TemplateKinds.Layout => await live.Where(t => t.LayoutId == template.Id).Select(t => t.Id).Take(10).ToListAsync(cancellationToken),
            TemplateKinds.Partial when template.Alias is { } alias => await live
                .Where(t => db.TemplateVersions.Any(v => v.TemplateId == t.Id && v.Version == t.Version && v.Partials.Contains(alias)))
                .Select(t => t.Id).Take(10).ToListAsync(cancellationToken),
            _ => [],
        };
    }

    /// <summary>Saves; a write that lost a race on an alias or a version number is a 409, not a 500.</summary>
    private static async Task<ProblemHttpResult?> SaveAsync(EmailDbContext db, string? alias, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            return unique.ConstraintName?.Contains("alias", StringComparison.Ordinal) == true && alias is not null
                ? AliasTaken(alias)
                : Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, "The template was changed at the same time by another request; read it again and retry.");
        }
    }

    private static ProblemHttpResult AliasTaken(string alias) =>
        Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Another template of your organization already has the alias '{alias}'.");
}
