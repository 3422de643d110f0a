using System.Globalization;
using HandlebarsDotNet;

namespace Send.Templating;

/// <summary>
/// The helpers a template may call besides Handlebars' built-in blocks. A closed list, so the
/// analyzer can refuse an unknown helper when the template is saved instead of at send time.
/// </summary>
public static class TemplateHelpers
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal)
    {
        "lookup", "log", "uppercase", "lowercase", "default", "eq", "ne", "format_number",
    };

    public static void Register(IHandlebars handlebars)
    {
        handlebars.RegisterHelper("uppercase", (in HelperOptions _, in Context _, in Arguments args) =>
            Text(args, 0)?.ToUpper(CultureInfo.InvariantCulture));
        handlebars.RegisterHelper("lowercase", (in HelperOptions _, in Context _, in Arguments args) =>
            Text(args, 0)?.ToLower(CultureInfo.InvariantCulture));
        handlebars.RegisterHelper("default", (in HelperOptions _, in Context _, in Arguments args) =>
            IsEmpty(args.Length > 0 ? args[0] : null) ? (args.Length > 1 ? args[1] : null) : args[0]);
        handlebars.RegisterHelper("eq", (in HelperOptions _, in Context _, in Arguments args) =>
            args.Length == 2 && string.Equals(Text(args, 0), Text(args, 1), StringComparison.Ordinal));
        handlebars.RegisterHelper("ne", (in HelperOptions _, in Context _, in Arguments args) =>
            args.Length != 2 || !string.Equals(Text(args, 0), Text(args, 1), StringComparison.Ordinal));
        // {{format_number total 2}}: fixed decimals, invariant culture (no thousands separator surprises).
        handlebars.RegisterHelper("format_number", (in HelperOptions _, in Context _, in Arguments args) =>
            args.Length > 0 && decimal.TryParse(Text(args, 0), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number.ToString("F" + (args.Length > 1 && int.TryParse(Text(args, 1), CultureInfo.InvariantCulture, out var places) ? Math.Clamp(places, 0, 10) : 2), CultureInfo.InvariantCulture)
                : Text(args, 0));
    }

    private static string? Text(Arguments args, int index) =>
        index < args.Length && args[index] is not UndefinedBindingResult ? Convert.ToString(args[index], CultureInfo.InvariantCulture) : null;

    private static bool IsEmpty(object? value) => value is null or UndefinedBindingResult || (value is string s && s.Length == 0);
}
