namespace Send.Templating;

public enum VariableKind
{
    Value,
    Record,
    List,
}

/// <summary>A variable as the template uses it, flattened for the API: <c>user.name</c>, <c>items</c>, <c>items[].title</c>.</summary>
public sealed record TemplateVariable(string Name, VariableKind Kind, bool Required);

/// <summary>
/// What a template reads from its variables, as a tree: an object's members, or for a list
/// the members of each item. A variable is required when the template reads it outside any
/// conditional branch (an <c>#if</c>/<c>#unless</c> or <c>else</c>) and not through <c>default</c>.
/// </summary>
public sealed class VariableNode(string name)
{
    private readonly Dictionary<string, VariableNode> _members = new(StringComparer.Ordinal);
    private readonly List<string> _partials = [];

    public string Name { get; } = name;
    public VariableKind Kind { get; private set; } = VariableKind.Value;
    public bool Required { get; private set; }
    public IReadOnlyCollection<VariableNode> Members => _members.Values;

    /// <summary>Partials included with this node as their context (their variables are read from it).</summary>
    public IReadOnlyList<string> Partials => _partials;

    internal VariableNode Member(string name)
    {
        if (!_members.TryGetValue(name, out var member))
        {
            _members[name] = member = new VariableNode(name);
        }

        return member;
    }

    /// <summary>A list stays a list and an object an object: one use as a plain value does not undo another.</summary>
    internal void UsedAs(VariableKind kind, bool required)
    {
        if (kind > Kind)
        {
            Kind = kind;
        }

        Required |= required;
    }

    internal void Includes(string partial)
    {
        if (!_partials.Contains(partial))
        {
            _partials.Add(partial);
        }
    }

    /// <summary>The variables under this node, depth first, with their full names.</summary>
    public IEnumerable<TemplateVariable> Flatten(string prefix = "")
    {
        foreach (var member in _members.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var name = prefix + member.Name;
            yield return new TemplateVariable(name, member.Kind, member.Required);
            var inner = member.Kind == VariableKind.List ? name + "[]." : name + ".";
            foreach (var nested in member.Flatten(inner))
            {
                yield return nested;
            }
        }
    }
}
