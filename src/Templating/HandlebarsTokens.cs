using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace Send.Templating;

public enum TokenKind
{
    Static,
    Start,
    End,
    Word,
    Literal,
    Partial,
    Comment,
    BlockParameter,
    Assignment,
    StartSubExpression,
    EndSubExpression,
    Other,
}

/// <summary>One token of a template and where the tokenizer was (1-based) when it produced it.</summary>
public readonly record struct TemplateToken(TokenKind Kind, string Value, int Line, int Column);

/// <summary>
/// Handlebars.Net's own tokenizer, so variable extraction reads a template exactly as the
/// renderer will. The tokenizer is internal to Handlebars.Net, so it is reached by reflection;
/// the package version is pinned centrally and the tests fail loudly if its shape changes.
/// </summary>
public static partial class HandlebarsTokens
{
    private const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Public;
    private static readonly Assembly Library = typeof(Handlebars).Assembly;
    private static readonly Type ReaderType = Required(Library.GetType("HandlebarsDotNet.ExtendedStringReader"), "ExtendedStringReader");
    private static readonly MethodInfo Tokenizer = Required(
        Library.GetType("HandlebarsDotNet.Compiler.Lexer.Tokenizer")?.GetMethod("Tokenize", BindingFlags.Static | Internal), "Tokenizer.Tokenize");
    private static readonly FieldInfo LineField = Required(ReaderType.GetField("_linePos", BindingFlags.Instance | Internal), "_linePos");
    private static readonly FieldInfo ColumnField = Required(ReaderType.GetField("_charPos", BindingFlags.Instance | Internal), "_charPos");

    public static IReadOnlyList<TemplateToken> Tokenize(string template)
    {
        var reader = Activator.CreateInstance(ReaderType, BindingFlags.Instance | Internal, null, [new StringReader(template)], CultureInfo.InvariantCulture)!;
        var tokens = new List<TemplateToken>();
        try
        {
            foreach (var token in (IEnumerable)Tokenizer.Invoke(null, [reader])!)
            {
                tokens.Add(new TemplateToken(KindOf(token), token.ToString() ?? "", (int)LineField.GetValue(reader)! + 1, (int)ColumnField.GetValue(reader)!));
            }
        }
        catch (TargetInvocationException e) when (e.InnerException is HandlebarsException inner)
        {
            throw Positioned(inner, reader);
        }
        catch (HandlebarsException e)
        {
            throw Positioned(e, reader);
        }

        return tokens;
    }

    private static TemplateSyntaxException Positioned(HandlebarsException e, object reader)
    {
        // The parser's message ends with "Occured at: line:column" (0-based line); prefer it.
        var reason = e.Message.Split('\n')[0].Trim();
        var at = OccurredAt().Match(e.Message);
        return at.Success
            ? new TemplateSyntaxException(reason, int.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture) + 1, int.Parse(at.Groups[2].Value, CultureInfo.InvariantCulture))
            : new TemplateSyntaxException(reason, (int)LineField.GetValue(reader)! + 1, (int)ColumnField.GetValue(reader)!);
    }

    private static TokenKind KindOf(object token) => token.GetType().Name switch
    {
        "StaticToken" => TokenKind.Static,
        "StartExpressionToken" => TokenKind.Start,
        "EndExpressionToken" => TokenKind.End,
        "WordExpressionToken" => TokenKind.Word,
        "LiteralExpressionToken" => TokenKind.Literal,
        "PartialToken" => TokenKind.Partial,
        "CommentToken" => TokenKind.Comment,
        "BlockParameterToken" => TokenKind.BlockParameter,
        "AssignmentToken" => TokenKind.Assignment,
        "StartSubExpressionToken" => TokenKind.StartSubExpression,
        "EndSubExpressionToken" => TokenKind.EndSubExpression,
        _ => TokenKind.Other,
    };

    private static T Required<T>(T? value, string name) where T : class =>
        value ?? throw new InvalidOperationException($"Handlebars.Net no longer has its internal {name}; update HandlebarsTokens for the new version.");

    [GeneratedRegex(@"Occured at:\s*(\d+):(\d+)")]
    private static partial Regex OccurredAt();
}
