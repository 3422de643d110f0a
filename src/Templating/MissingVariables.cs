namespace Send.Templating;

/// <summary>
/// Names the required variables a render would leave empty, by their place in the data:
/// <c>user.name</c>, <c>items[2].title</c>. Lists are checked item by item; partials are
/// checked against the data they are included with.
/// </summary>
public static class MissingVariables
{
    private const int MaxPartialDepth = 10;

    public static List<string> Find(VariableNode root, object? data, Func<string, VariableNode?> partial)
    {
        var missing = new List<string>();
        Collect(root, data, "", partial, missing, 0);
        return missing;
    }

    private static void Collect(VariableNode node, object? data, string prefix, Func<string, VariableNode?> partial, List<string> missing, int depth)
    {
        var members = data as IDictionary<string, object?>;
        foreach (var member in node.Members)
        {
            object? value = null;
            var present = members is not null && members.TryGetValue(member.Name, out value) && value is not null;
            var name = prefix + member.Name;
            if (!present)
            {
                if (member.Required)
                {
                    missing.Add(name);
                }

                continue;
            }

            if (member.Kind == VariableKind.List && value is IList<object?> items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    Collect(member, items[i], $"{name}[{i}].", partial, missing, depth);
                }
            }
            else if (member.Members.Count > 0 || member.Partials.Count > 0)
            {
                Collect(member, value, name + ".", partial, missing, depth);
            }
        }

        if (depth >= MaxPartialDepth)
        {
            return;
        }

        foreach (var name in node.Partials)
        {
            if (partial(name) is { } included)
            {
                Collect(included, data, prefix, partial, missing, depth + 1);
            }
        }
    }
}
