using System.Collections.Concurrent;

namespace Send.Templating;

/// <summary>
/// Compiled templates by a key that changes whenever anything they are built from changes
/// (template version, layout version, partial versions): versions are immutable, so an entry
/// never goes stale. Bounded: past <see cref="Capacity"/> entries it starts over, which costs
/// one compile per template in use.
/// </summary>
public sealed class CompiledTemplateCache(int capacity = 10_000)
{
    private readonly ConcurrentDictionary<string, Lazy<CompiledTemplate>> _entries = new(StringComparer.Ordinal);

    public int Capacity { get; } = capacity;

    public CompiledTemplate GetOrCompile(string key, Func<TemplateDefinition> definition)
    {
        if (_entries.TryGetValue(key, out var cached))
        {
            return cached.Value;
        }

        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        var entry = _entries.GetOrAdd(key, _ => new Lazy<CompiledTemplate>(() => CompiledTemplate.Compile(definition())));
        try
        {
            return entry.Value;
        }
        catch
        {
            // A template that does not compile is not cached: the next call reports it again.
            _entries.TryRemove(new KeyValuePair<string, Lazy<CompiledTemplate>>(key, entry));
            throw;
        }
    }
}
