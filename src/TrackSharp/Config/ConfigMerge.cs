namespace TrackSharp.Config;

/// <summary>
/// Merges a tree into another under the schema rules: an existing key keeps its kind, an unknown key is an
/// error unless its mapping is open. Kind rules: a null default takes anything; bool, int and mapping take only
/// their own kind; a float takes an int (widened, <c>3</c> becomes <c>3.0</c>); a string takes any non-null
/// scalar (as its YAML text, e.g. an experiment named <c>2024</c>); a list takes a list whose elements fit the
/// default's element kind when the default's elements share one scalar kind (an empty default list takes any
/// list). Lists are replaced as a whole, mappings are merged key by key.
/// </summary>
internal static class ConfigMerge
{
    /// <summary>Merges <paramref name="incoming"/> into <paramref name="current"/> (mutated when a mapping) and
    /// returns the node that now holds the value, or null after adding an error.</summary>
    public static ConfigNode? Merge(ConfigNode current, ConfigNode incoming, string path, List<ConfigError> errors)
    {
        if (current.IsMap)
        {
            if (!incoming.IsMap)
            {
                errors.Add(new ConfigError(incoming.Source, path, $"expected a mapping, got {Describe(incoming)}"));
                return null;
            }
            foreach (var (key, value) in incoming.Entries)
            {
                string childPath = path.Length == 0 ? key : path + "." + key;
                if (current.TryGetChild(key, out var child))
                {
                    var merged = Merge(child, value, childPath, errors);
                    if (merged != null)
                        current.SetChild(key, merged);
                }
                else if (current.IsOpen)
                {
                    current.SetChild(key, value.DeepClone());
                }
                else
                {
                    errors.Add(new ConfigError(value.Source, childPath, "unknown key" + Suggest(key, current.Keys)));
                }
            }
            return current;
        }
        return Coerce(current, incoming, path, errors);
    }

    /// <summary>The incoming non-mapping value checked against (and converted to) the kind of the current one.</summary>
    private static ConfigNode? Coerce(ConfigNode current, ConfigNode incoming, string path, List<ConfigError> errors)
    {
        switch (current.Kind)
        {
            case ConfigKind.Null:
                return incoming.DeepClone();
            case ConfigKind.Float when incoming.Kind == ConfigKind.Int:
                return ConfigNode.Of((double)(long)incoming.Value!, incoming.Source);
            case ConfigKind.String when incoming.IsScalar && incoming.Kind != ConfigKind.Null:
                return incoming.Kind == ConfigKind.String ? incoming : ConfigNode.Of(ConfigYaml.FormatFlow(incoming), incoming.Source);
            case ConfigKind.List when incoming.IsList:
                var template = ElementTemplate(current);
                if (template == null)
                    return incoming.DeepClone();
                var items = new List<ConfigNode>();
                bool ok = true;
                for (int i = 0; i < incoming.Items.Count; i++)
                {
                    var item = Coerce(template, incoming.Items[i], $"{path}[{i}]", errors);
                    ok &= item != null;
                    if (item != null)
                        items.Add(item);
                }
                return ok ? ConfigNode.List(items, incoming.Source) : null;
            default:
                if (current.Kind == incoming.Kind && incoming.IsScalar)
                    return incoming;
                errors.Add(new ConfigError(incoming.Source, path,
                    $"expected {KindName(current.Kind)}, got {Describe(incoming)}"));
                return null;
        }
    }

    /// <summary>A node standing for the element kind of a default list: its elements' common scalar kind (int and
    /// float mixed: float), or null when the list is empty or mixed (any element accepted).</summary>
    private static ConfigNode? ElementTemplate(ConfigNode list)
    {
        if (list.Items.Count == 0)
            return null;
        var kinds = list.Items.Select(i => i.Kind).Distinct().ToList();
        if (kinds.Count == 1 && list.Items[0].IsScalar && kinds[0] != ConfigKind.Null)
            return list.Items[0];
        if (kinds.All(k => k is ConfigKind.Int or ConfigKind.Float))
            return ConfigNode.Of(0.0);
        if (kinds.Count == 1 && kinds[0] == ConfigKind.List)
        {
            // nested lists of one shape (e.g. [[2, 0.2], ...]): check elements against the first element
            var inner = list.Items.SelectMany(i => i.Items).Select(i => i.Kind).Distinct().ToList();
            if (inner.All(k => k is ConfigKind.Int or ConfigKind.Float) && inner.Count > 0)
                return ConfigNode.List([ConfigNode.Of(0.0)]);
        }
        return null;
    }

    public static string KindName(ConfigKind kind) => kind switch
    {
        ConfigKind.Null => "null",
        ConfigKind.Bool => "a bool",
        ConfigKind.Int => "an int",
        ConfigKind.Float => "a float",
        ConfigKind.String => "a string",
        ConfigKind.List => "a list",
        _ => "a mapping",
    };

    public static string Describe(ConfigNode node)
    {
        string text = node.ToString();
        if (text.Length > 60)
            text = text[..57] + "...";
        return node.IsMap ? "a mapping" : $"{KindName(node.Kind)} ({text})";
    }

    /// <summary><c> (did you mean X?)</c> for the closest key (same letters in another case, or an edit distance
    /// of at most a third of the key), else <c> (known keys: ...)</c> for short key lists, else empty.</summary>
    public static string Suggest(string key, IEnumerable<string> known)
    {
        var keys = known.ToList();
        var same = keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        if (same != null)
            return $" (did you mean {same}?)";
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var k in keys)
        {
            int d = Levenshtein(key.ToUpperInvariant(), k.ToUpperInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }
        if (best != null && bestDistance <= Math.Max(key.Length, best.Length) / 3)
            return $" (did you mean {best}?)";
        if (keys.Count is > 0 and <= 12)
            return $" (known keys: {string.Join(", ", keys)})";
        return keys.Count == 0 ? " (this mapping takes no keys)" : "";
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
