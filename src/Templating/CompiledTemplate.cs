using HandlebarsDotNet;
using PreMailer.Net;

namespace Send.Templating;

/// <summary>The three parts of a template (any may be absent).</summary>
public sealed record TemplateParts(string? Subject, string? Html, string? Text);

/// <summary>
/// Everything one render needs: the template's parts, its layout's (whose HTML and text place
/// the template's output with <c>{{{@content}}}</c>), the partials it may include by alias,
/// the declared defaults and whether to inline CSS.
/// </summary>
public sealed record TemplateDefinition(
    TemplateParts Content,
    TemplateParts? Layout = null,
    IReadOnlyDictionary<string, TemplateParts>? Partials = null,
    IReadOnlyDictionary<string, object?>? Defaults = null,
    bool InlineCss = false);

/// <summary>A render's output, or, in strict mode with variables missing, only their names.</summary>
public sealed record RenderedTemplate(string? Subject, string? Html, string? Text, IReadOnlyList<string> MissingVariables);

/// <summary>
/// A template compiled once and rendered many times. HTML parts escape variables unless
/// triple-stashed; the subject and text render without HTML escaping, and the subject is
/// flattened to one line so no variable can add a header.
/// </summary>
public sealed class CompiledTemplate
{
    private static readonly IReadOnlyDictionary<string, object?> NoDefaults = new Dictionary<string, object?>();

    private readonly TemplateDefinition _definition;
    private readonly Dictionary<string, VariableNode> _partialVariables;
    private readonly VariableNode? _layoutVariables;
    private readonly HandlebarsTemplate<object, object>? _subject, _html, _text, _layoutHtml, _layoutText;

    private CompiledTemplate(TemplateDefinition definition)
    {
        _definition = definition;
        Analysis = Analyze(definition.Content);
        _layoutVariables = definition.Layout is { } layout ? Analyze(layout).Variables : null;
        _partialVariables = (definition.Partials ?? new Dictionary<string, TemplateParts>())
            .ToDictionary(p => p.Key, p => Analyze(p.Value).Variables, StringComparer.Ordinal);

        var html = Environment(escape: true, definition.Partials, p => p.Html ?? p.Text);
        var plain = Environment(escape: false, definition.Partials, p => p.Text ?? p.Html);
        _subject = Compile(plain, definition.Content.Subject, "subject");
        _html = Compile(html, definition.Content.Html, "html");
        _text = Compile(plain, definition.Content.Text, "text");
        _layoutHtml = Compile(html, definition.Layout?.Html, "layout.html");
        _layoutText = Compile(plain, definition.Layout?.Text, "layout.text");
    }

    /// <summary>What the template itself reads (its layout and partials are checked at render).</summary>
    public TemplateAnalysis Analysis { get; }

    /// <summary>Compiles a definition; throws <see cref="TemplateSyntaxException"/> naming the part and position.</summary>
    public static CompiledTemplate Compile(TemplateDefinition definition) => new(definition);

    /// <summary>The subject, html and text parts analyzed together; throws <see cref="TemplateSyntaxException"/> naming the part.</summary>
    public static TemplateAnalysis Analyze(TemplateParts parts)
    {
        var analysis = new TemplateAnalysis();
        foreach (var (name, part) in new[] { ("subject", parts.Subject), ("html", parts.Html), ("text", parts.Text) })
        {
            try
            {
                TemplateAnalyzer.Analyze(part, analysis);
            }
            catch (TemplateSyntaxException e)
            {
                throw e.In(name);
            }
        }

        return analysis;
    }

    public RenderedTemplate Render(IReadOnlyDictionary<string, object?> variables, bool strict)
    {
        var data = TemplateValues.Merge(_definition.Defaults ?? NoDefaults, variables);
        var missing = MissingVariables.Find(Analysis.Variables, data, _partialVariables.GetValueOrDefault);
        if (_layoutVariables is not null)
        {
            missing.AddRange(MissingVariables.Find(_layoutVariables, data, _partialVariables.GetValueOrDefault).Except(missing));
        }

        if (strict && missing.Count > 0)
        {
            return new RenderedTemplate(null, null, null, missing);
        }

        var subject = _subject?.Invoke(data, null!);
        var html = _html?.Invoke(data, null!);
        var text = _text?.Invoke(data, null!);
        if (html is not null && _layoutHtml is not null)
        {
            html = _layoutHtml(data, new Dictionary<string, object?> { ["content"] = html });
        }

        if (text is not null && _layoutText is not null)
        {
            text = _layoutText(data, new Dictionary<string, object?> { ["content"] = text });
        }

        if (html is not null && _definition.InlineCss)
        {
            html = PreMailer.Net.PreMailer.MoveCssInline(html, removeStyleElements: true, stripIdAndClassAttributes: false).Html;
        }

        text ??= html is null ? null : HtmlToText.Convert(html);
        return new RenderedTemplate(subject is null ? null : OneLine(subject), html, text, missing);
    }

    private static IHandlebars Environment(bool escape, IReadOnlyDictionary<string, TemplateParts>? partials, Func<TemplateParts, string?> partOf)
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = !escape });
        TemplateHelpers.Register(handlebars);
        foreach (var (alias, partial) in partials ?? new Dictionary<string, TemplateParts>())
        {
            handlebars.RegisterTemplate(alias, partOf(partial) ?? "");
        }

        return handlebars;
    }

    private static HandlebarsTemplate<object, object>? Compile(IHandlebars handlebars, string? source, string part)
    {
        if (string.IsNullOrEmpty(source))
        {
            return null;
        }

        try
        {
            return handlebars.Compile(source);
        }
        catch (HandlebarsException e)
        {
            // The analyzer refuses what it understands with a position; this is the rest.
            throw new TemplateSyntaxException(e.Message.Split('\n')[0].Trim(), 1, 1) { Part = part };
        }
    }

    /// <summary>Line breaks from variables become spaces: a subject is one header line.</summary>
    private static string OneLine(string subject) =>
        string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
