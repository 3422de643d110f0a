namespace Send.Templating;

/// <summary>A template that does not parse, with where the parser stopped (1-based line and column).</summary>
public sealed class TemplateSyntaxException(string message, int line, int column)
    : Exception($"{message} (line {line}, column {column})")
{
    public string Reason { get; } = message;
    public int Line { get; } = line;
    public int Column { get; } = column;

    /// <summary>Which part of the template (subject, html, text) it is in, when known.</summary>
    public string? Part { get; init; }

    public TemplateSyntaxException In(string part) => new(Reason, Line, Column) { Part = part };
}
