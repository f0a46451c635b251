namespace TrackSharp.Config;

/// <summary>The value kinds of a config tree. <see cref="Int"/> and <see cref="Float"/> follow YAML 1.1 plain
/// scalars (<c>3</c> is an int, <c>3.0</c> and <c>1e-4</c> are floats); quoted scalars are always strings.</summary>
public enum ConfigKind { Null, Bool, Int, Float, String, List, Map }

/// <summary>Where a config value came from: a family's defaults, an experiment file (line and column, 1-based,
/// as YamlDotNet reports them) or a command-line override (its text).</summary>
public sealed record ConfigSource(ConfigSourceKind Kind, string Origin, int Line = 0, int Column = 0)
{
    /// <summary><c>file:line</c>, <c>override 'KEY=value'</c> or <c>ostrack defaults:line</c>.</summary>
    public override string ToString() => Kind switch
    {
        ConfigSourceKind.File => Line > 0 ? $"{Origin}:{Line}" : Origin,
        ConfigSourceKind.Override => $"override '{Origin}'",
        _ => Line > 0 ? $"{Origin} defaults:{Line}" : $"{Origin} defaults",
    };

    internal static ConfigSource Unknown { get; } = new(ConfigSourceKind.Defaults, "(built)");
}

public enum ConfigSourceKind { Defaults, File, Override }

/// <summary>
/// One node of a config tree: a scalar (null, bool, int as <see cref="long"/>, float as <see cref="double"/>,
/// string), a list of nodes or an ordered mapping from key to node. Every node remembers its
/// <see cref="Source"/>. A mapping is <see cref="IsOpen"/> when new keys may be added to it (yacs'
/// <c>new_allowed</c>, e.g. pysot's <c>KWARGS</c>); otherwise an unknown key is an error.
/// Nodes handed out by <see cref="ExperimentConfig"/> are not modified afterwards.
/// </summary>
public sealed class ConfigNode
{
    private readonly object? _scalar;
    private readonly List<ConfigNode>? _items;
    private readonly OrderedDictionary<string, ConfigNode>? _children;

    private ConfigNode(ConfigKind kind, object? scalar, List<ConfigNode>? items,
        OrderedDictionary<string, ConfigNode>? children, ConfigSource source)
    {
        Kind = kind;
        _scalar = scalar;
        _items = items;
        _children = children;
        Source = source;
    }

    public ConfigKind Kind { get; }
    public ConfigSource Source { get; }

    /// <summary>Whether unknown keys may be merged into this mapping.</summary>
    public bool IsOpen { get; internal set; }

    public bool IsMap => Kind == ConfigKind.Map;
    public bool IsList => Kind == ConfigKind.List;
    public bool IsScalar => Kind is not (ConfigKind.Map or ConfigKind.List);

    /// <summary>The scalar value: null, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/> or
    /// <see cref="string"/>; null for lists and mappings.</summary>
    public object? Value => _scalar;

    /// <summary>The elements of a list (empty for other kinds).</summary>
    public IReadOnlyList<ConfigNode> Items => (IReadOnlyList<ConfigNode>?)_items ?? [];

    /// <summary>The keys of a mapping in file order (empty for other kinds).</summary>
    public IEnumerable<string> Keys => _children?.Keys ?? Enumerable.Empty<string>();

    /// <summary>The entries of a mapping in file order (empty for other kinds).</summary>
    public IEnumerable<KeyValuePair<string, ConfigNode>> Entries =>
        _children ?? Enumerable.Empty<KeyValuePair<string, ConfigNode>>();

    public int Count => _children?.Count ?? _items?.Count ?? 0;

    public bool TryGetChild(string key, out ConfigNode child)
    {
        if (_children != null && _children.TryGetValue(key, out var c))
        {
            child = c;
            return true;
        }
        child = null!;
        return false;
    }

    public static ConfigNode Null(ConfigSource? source = null) => new(ConfigKind.Null, null, null, null, source ?? ConfigSource.Unknown);
    public static ConfigNode Of(bool value, ConfigSource? source = null) => new(ConfigKind.Bool, value, null, null, source ?? ConfigSource.Unknown);
    public static ConfigNode Of(long value, ConfigSource? source = null) => new(ConfigKind.Int, value, null, null, source ?? ConfigSource.Unknown);
    public static ConfigNode Of(double value, ConfigSource? source = null) => new(ConfigKind.Float, value, null, null, source ?? ConfigSource.Unknown);
    public static ConfigNode Of(string value, ConfigSource? source = null) => new(ConfigKind.String, value, null, null, source ?? ConfigSource.Unknown);

    public static ConfigNode List(IEnumerable<ConfigNode> items, ConfigSource? source = null) =>
        new(ConfigKind.List, null, items.ToList(), null, source ?? ConfigSource.Unknown);

    public static ConfigNode Map(IEnumerable<KeyValuePair<string, ConfigNode>> entries, ConfigSource? source = null, bool open = false)
    {
        var d = new OrderedDictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var (k, v) in entries)
            d[k] = v;
        return new ConfigNode(ConfigKind.Map, null, null, d, source ?? ConfigSource.Unknown) { IsOpen = open };
    }

    /// <summary>A copy of this node with another source (the value is shared; scalars are immutable).</summary>
    internal ConfigNode WithSource(ConfigSource source) =>
        new(Kind, _scalar, _items?.ToList(), _children == null ? null : new(_children, StringComparer.Ordinal), source) { IsOpen = IsOpen };

    /// <summary>A mutable deep copy (merging mutates copies only).</summary>
    public ConfigNode DeepClone() => new(Kind, _scalar,
        _items?.Select(i => i.DeepClone()).ToList(),
        _children == null ? null : CloneChildren(_children), Source) { IsOpen = IsOpen };

    private static OrderedDictionary<string, ConfigNode> CloneChildren(OrderedDictionary<string, ConfigNode> c)
    {
        var d = new OrderedDictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var (k, v) in c)
            d[k] = v.DeepClone();
        return d;
    }

    internal void SetChild(string key, ConfigNode value) => _children![key] = value;

    /// <summary>Same kinds, keys (in any order), items and values; sources and openness are ignored.</summary>
    public bool ValueEquals(ConfigNode other)
    {
        if (Kind != other.Kind)
            return false;
        switch (Kind)
        {
            case ConfigKind.List:
                return _items!.Count == other._items!.Count && _items.Zip(other._items).All(p => p.First.ValueEquals(p.Second));
            case ConfigKind.Map:
                if (_children!.Count != other._children!.Count)
                    return false;
                foreach (var (k, v) in _children)
                    if (!other._children.TryGetValue(k, out var o) || !v.ValueEquals(o))
                        return false;
                return true;
            case ConfigKind.Float:
                var a = (double)_scalar!;
                var b = (double)other._scalar!;
                return a.Equals(b);
            default:
                return Equals(_scalar, other._scalar);
        }
    }

    /// <summary>The value as YAML text: flow style for lists and mappings (one line).</summary>
    public override string ToString() => ConfigYaml.FormatFlow(this);
}
