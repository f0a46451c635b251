namespace TrackSharp.Checkpoints;

/// <summary>
/// Ordered key-renaming rules for state dicts, so a model family can map checkpoint names onto its module names:
/// each key passes through every rule in order; a drop rule removes it.
/// <code>new KeyMap().DropPrefix("optimizer.").RenamePrefix("backbone.body.", "backbone.")</code>
/// </summary>
public sealed class KeyMap
{
    private readonly List<Func<string, string?>> _rules = new();

    /// <summary>Keys starting with <paramref name="from"/> get <paramref name="to"/> instead of that prefix.</summary>
    public KeyMap RenamePrefix(string from, string to)
    {
        _rules.Add(k => k.StartsWith(from, StringComparison.Ordinal) ? to + k[from.Length..] : k);
        return this;
    }

    /// <summary>Removes <paramref name="prefix"/> from keys that start with it.</summary>
    public KeyMap StripPrefix(string prefix) => RenamePrefix(prefix, "");

    /// <summary>Keys starting with <paramref name="prefix"/> are dropped.</summary>
    public KeyMap DropPrefix(string prefix)
    {
        _rules.Add(k => k.StartsWith(prefix, StringComparison.Ordinal) ? null : k);
        return this;
    }

    /// <summary>Exact rename of one key.</summary>
    public KeyMap Rename(string from, string to)
    {
        _rules.Add(k => k == from ? to : k);
        return this;
    }

    /// <summary>Keys for which <paramref name="predicate"/> is true are dropped.</summary>
    public KeyMap Drop(Func<string, bool> predicate)
    {
        _rules.Add(k => predicate(k) ? null : k);
        return this;
    }

    /// <summary>A custom rule: return the new key, or null to drop.</summary>
    public KeyMap Map(Func<string, string?> rule)
    {
        _rules.Add(rule);
        return this;
    }

    /// <summary>The mapped key, or null when a rule drops it.</summary>
    public string? Apply(string key)
    {
        string? k = key;
        foreach (var rule in _rules)
        {
            k = rule(k);
            if (k is null) return null;
        }
        return k;
    }
}
