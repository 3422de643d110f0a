using System.Globalization;

namespace Send.Templating;

/// <summary>What one or more template parts read: the variable tree, the partials they include, whether they place <c>{{{@content}}}</c>.</summary>
public sealed class TemplateAnalysis
{
    public VariableNode Variables { get; } = new("");
    public SortedSet<string> Partials { get; } = new(StringComparer.Ordinal);
    public bool PlacesContent { get; internal set; }
}

/// <summary>
/// Walks Handlebars.Net's token stream with Handlebars' scoping rules: <c>#each</c> and
/// <c>#with</c> change the context (and <c>../</c> leaves it), <c>#if</c>/<c>#unless</c>
/// do not but make what they guard optional, block parameters name the item, <c>@root</c>
/// starts over. Unknown helpers and unbalanced blocks are refused here, with their position,
/// rather than failing at send time.
/// </summary>
public sealed class TemplateAnalyzer
{
    private readonly TemplateAnalysis _analysis;
    private readonly Stack<Block> _blocks = new();
    private Scope _scope;

    private TemplateAnalyzer(TemplateAnalysis analysis)
    {
        _analysis = analysis;
        _scope = new Scope(analysis.Variables, null, ChangesContext: true, Conditional: false, []);
    }

    /// <summary>Adds what <paramref name="template"/> reads to <paramref name="analysis"/>; throws <see cref="TemplateSyntaxException"/>.</summary>
    public static void Analyze(string? template, TemplateAnalysis analysis)
    {
        if (string.IsNullOrEmpty(template))
        {
            return;
        }

        var analyzer = new TemplateAnalyzer(analysis);
        var statement = new List<TemplateToken>();
        var inStatement = false;
        foreach (var token in HandlebarsTokens.Tokenize(template))
        {
            if (token.Kind == TokenKind.Start)
            {
                inStatement = true;
                statement.Clear();
            }
            else if (token.Kind == TokenKind.End && inStatement)
            {
                inStatement = false;
                // Positions are taken at the statement's first token: the end token's may already be past a line break.
                analyzer.Statement(statement, statement.Count > 0 ? statement[0] : token);
            }
            else if (inStatement)
            {
                statement.Add(token);
            }
        }

        if (analyzer._blocks.TryPeek(out var open))
        {
            throw new TemplateSyntaxException($"The {{{{#{open.Name}}}}} block is never closed with {{{{/{open.Name}}}}}", open.Line, open.Column);
        }
    }

    public static TemplateAnalysis Analyze(params string?[] parts)
    {
        var analysis = new TemplateAnalysis();
        foreach (var part in parts)
        {
            Analyze(part, analysis);
        }

        return analysis;
    }

    private void Statement(List<TemplateToken> tokens, TemplateToken end)
    {
        if (tokens.Count == 0 || tokens[0].Kind is TokenKind.Comment || (tokens.Count == 1 && tokens[0].Kind == TokenKind.Literal))
        {
            return;
        }

        var first = tokens[0];
        if (first.Kind == TokenKind.Partial)
        {
            Partial(tokens.Skip(1).ToList(), end);
            return;
        }

        if (first.Kind != TokenKind.Word)
        {
            throw new TemplateSyntaxException($"Unexpected '{first.Value}'", end.Line, end.Column);
        }

        var word = first.Value;
        if (word == "else")
        {
            Else(tokens, end);
        }
        else if (word.StartsWith("#>", StringComparison.Ordinal))
        {
            // A partial block: {{#> name}}fallback{{/name}}.
            var name = word.Length > 2 ? word[2..] : tokens.ElementAtOrDefault(1).Value ?? "";
            Include(name, end);
            _blocks.Push(new Block(name, _scope, end.Line, end.Column));
        }
        else if (word.Length > 1 && word[0] is '#' or '^')
        {
            Open(word[1..], inverted: word[0] == '^', tokens.Skip(1).ToList(), end);
        }
        else if (word.Length > 1 && word[0] == '/')
        {
            Close(word[1..], end);
        }
        else if (tokens.Count == 1)
        {
            Use(word, VariableKind.Value, required: true);
        }
        else
        {
            Helper(tokens, end);
        }
    }

    private void Open(string name, bool inverted, List<TemplateToken> arguments, TemplateToken at)
    {
        var parameters = arguments.Where(t => t.Kind == TokenKind.BlockParameter)
            .SelectMany(t => t.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var subject = arguments.FirstOrDefault(t => t.Kind == TokenKind.Word && t.Value != "as");
        var outer = _scope;
        switch (name)
        {
            case "each" or "with":
                var kind = name == "each" ? VariableKind.List : VariableKind.Record;
                var node = subject.Value is null ? null : Use(subject.Value, kind, required: !inverted);
                if (node is null)
                {
                    throw new TemplateSyntaxException($"{{{{#{name}}}}} needs a variable to {(name == "each" ? "iterate over" : "enter")}", at.Line, at.Column);
                }

                var aliases = parameters.Count > 0 ? new Dictionary<string, VariableNode?> { [parameters[0]] = node } : [];
                foreach (var index in parameters.Skip(1))
                {
                    aliases[index] = null;
                }

                _scope = inverted ? outer with { Conditional = true } : new Scope(node, outer, ChangesContext: true, outer.Conditional, aliases);
                break;
            case "if" or "unless":
                Arguments(arguments, required: false, at);
                _scope = outer with { Parent = outer, ChangesContext = false, Conditional = true, Aliases = [] };
                break;
            default:
                throw new TemplateSyntaxException(
                    $"Unknown block helper '{name}': use {{{{#each {name}}}}}, {{{{#with {name}}}}} or {{{{#if {name}}}}}", at.Line, at.Column);
        }

        _blocks.Push(new Block(name, outer, at.Line, at.Column));
    }

    private void Else(List<TemplateToken> tokens, TemplateToken at)
    {
        if (!_blocks.TryPeek(out var block))
        {
            throw new TemplateSyntaxException("{{else}} outside a block", at.Line, at.Column);
        }

        // The else branch runs in the block's outer context, and only sometimes.
        _scope = block.Outer with { Parent = block.Outer, ChangesContext = false, Conditional = true, Aliases = [] };
        if (tokens.Count > 1 && tokens[1].Value is "if" or "unless")
        {
            Arguments(tokens.Skip(2).ToList(), required: false, at);
        }
    }

    private void Close(string name, TemplateToken at)
    {
        if (!_blocks.TryPop(out var block))
        {
            throw new TemplateSyntaxException($"{{{{/{name}}}}} closes a block that was never opened", at.Line, at.Column);
        }

        if (block.Name != name)
        {
            throw new TemplateSyntaxException($"{{{{/{name}}}}} closes {{{{#{block.Name}}}}} (opened at line {block.Line}, column {block.Column})", at.Line, at.Column);
        }

        _scope = block.Outer;
    }

    private void Helper(List<TemplateToken> tokens, TemplateToken at)
    {
        var name = tokens[0].Value;
        if (!TemplateHelpers.Names.Contains(name))
        {
            throw new TemplateSyntaxException(
                $"Unknown helper '{name}'; the helpers are {string.Join(", ", TemplateHelpers.Names.Order(StringComparer.Ordinal))}", at.Line, at.Column);
        }

        // A value given a fallback is not required.
        Arguments(tokens.Skip(1).ToList(), required: name != "default", at);
    }

    /// <summary>Helper and subexpression arguments: paths are variables; literals and hash keys are not.</summary>
    private void Arguments(List<TemplateToken> tokens, bool required, TemplateToken at)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var isHashKey = i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Assignment;
            var isSubexpressionHelper = i > 0 && tokens[i - 1].Kind == TokenKind.StartSubExpression;
            if (token.Kind != TokenKind.Word || isHashKey || token.Value == "as")
            {
                continue;
            }

            if (isSubexpressionHelper)
            {
                if (!TemplateHelpers.Names.Contains(token.Value))
                {
                    throw new TemplateSyntaxException($"Unknown helper '{token.Value}'", at.Line, at.Column);
                }

                continue;
            }

            Use(token.Value, VariableKind.Value, required);
        }
    }

    private void Partial(List<TemplateToken> tokens, TemplateToken at)
    {
        var name = tokens.FirstOrDefault(t => t.Kind is TokenKind.Word or TokenKind.Literal).Value;
        if (string.IsNullOrEmpty(name))
        {
            throw new TemplateSyntaxException("{{> }} needs a partial's alias", at.Line, at.Column);
        }

        // {{> footer person}} renders the partial with another context.
        var context = tokens.Skip(1).FirstOrDefault(t => t.Kind == TokenKind.Word && !(tokens.IndexOf(t) + 1 < tokens.Count && tokens[tokens.IndexOf(t) + 1].Kind == TokenKind.Assignment));
        Include(name, at, context.Value is null ? null : Use(context.Value, VariableKind.Record, required: true));
    }

    private void Include(string name, TemplateToken at, VariableNode? context = null)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new TemplateSyntaxException("A partial needs an alias", at.Line, at.Column);
        }

        _analysis.Partials.Add(name);
        (context ?? _scope.Node).Includes(name);
    }

    /// <summary>Records a path read in the current scope and returns its node (null for data variables and literals).</summary>
    private VariableNode? Use(string path, VariableKind kind, bool required)
    {
        if (IsLiteral(path))
        {
            return null;
        }

        required &= !_scope.Conditional;
        var scope = _scope;
        if (path.StartsWith('@'))
        {
            if (!path.StartsWith("@root", StringComparison.Ordinal))
            {
                _analysis.PlacesContent |= path == "@content";
                return null;
            }

            while (scope.Parent is not null)
            {
                scope = scope.Parent;
            }

            path = path.Length > 6 ? path[6..] : "";
        }

        while (path.StartsWith("../", StringComparison.Ordinal))
        {
            path = path[3..];
            scope = ContextOf(scope);
            scope = ContextOf(scope.Parent ?? scope);
        }

        var segments = path.Split(['.', '/'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim('[', ']')).ToList();
        if (segments.Count > 0 && segments[0] == "this")
        {
            segments.RemoveAt(0);
        }
        else if (segments.Count > 0 && Alias(scope, segments[0]) is var (found, aliased) && found)
        {
            if (aliased is null)
            {
                return null;
            }

            segments.RemoveAt(0);
            scope = scope with { Node = aliased };
        }

        var node = scope.Node;
        for (var i = 0; i < segments.Count; i++)
        {
            node = node.Member(segments[i]);
            node.UsedAs(i == segments.Count - 1 ? kind : VariableKind.Record, required);
        }

        return node;
    }

    private static Scope ContextOf(Scope scope)
    {
        while (!scope.ChangesContext && scope.Parent is not null)
        {
            scope = scope.Parent;
        }

        return scope;
    }

    private static (bool Found, VariableNode? Node) Alias(Scope scope, string name)
    {
        for (Scope? s = scope; s is not null; s = s.Parent)
        {
            if (s.Aliases.TryGetValue(name, out var node))
            {
                return (true, node);
            }
        }

        return (false, null);
    }

    private static bool IsLiteral(string word) =>
        word is "true" or "false" or "null" or "undefined" || double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private sealed record Scope(VariableNode Node, Scope? Parent, bool ChangesContext, bool Conditional, Dictionary<string, VariableNode?> Aliases);

    private sealed record Block(string Name, Scope Outer, int Line, int Column);
}
