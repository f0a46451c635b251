using System.Text;

namespace TrackSharp.Config;

/// <summary>
/// A loaded experiment config (defaults, experiment files and overrides merged and checked); read-only.
/// Values are read by dotted key path: <c>cfg.Get&lt;int&gt;("TRAIN.BATCH_SIZE")</c>,
/// <c>cfg.Get&lt;string[]&gt;("DATA.TRAIN.DATASETS_NAME")</c>, <c>cfg.Get&lt;double[]&gt;("DATA.MEAN")</c>.
/// A missing key or a value of another kind throws a <see cref="ConfigException"/> naming the key and where the
/// value was set.
/// </summary>
public sealed class ExperimentConfig
{
    internal ExperimentConfig(ConfigFamily family, ConfigNode root, IReadOnlyList<string> files, IReadOnlyList<string> overrides)
    {
        Family = family;
        Root = root;
        Files = files;
        Overrides = overrides;
    }

    public ConfigFamily Family { get; }

    /// <summary>The merged tree (a mapping). Do not modify it.</summary>
    public ConfigNode Root { get; }

    /// <summary>The experiment files merged, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The <c>KEY.PATH=value</c> overrides applied, in order.</summary>
    public IReadOnlyList<string> Overrides { get; }

    public bool Contains(string path) => ConfigPath.TryFind(Root, path, out _);

    /// <summary>The node at <paramref name="path"/>; a missing key throws naming the path (with a suggestion).</summary>
    public ConfigNode Node(string path)
    {
        var node = Root;
        string walked = "";
        foreach (var key in path.Split('.'))
        {
            var parent = node;
            walked = walked.Length == 0 ? key : walked + "." + key;
            if (!node.TryGetChild(key, out node))
                throw new ConfigException(new ConfigError(parent.Source, walked,
                    "no such key in the config" + ConfigMerge.Suggest(key, parent.Keys)));
        }
        return node;
    }

    /// <summary>The value at <paramref name="path"/> as <typeparamref name="T"/>: bool, int, long, float,
    /// double, string (any scalar's text), <see cref="ConfigNode"/>, arrays / lists of those.</summary>
    public T Get<T>(string path) => (T)ConvertTo(typeof(T), Node(path), path);

    /// <summary>An error about the value at <paramref name="path"/>, located where that value was set (the file and line,
    /// an override, or the defaults; the config's root when the key is missing).</summary>
    public ConfigException Error(string path, string problem) =>
        new(new ConfigError(Contains(path) ? Node(path).Source : Root.Source, path, problem));

    /// <summary>Like <see cref="Get{T}(string)"/>, or <paramref name="fallback"/> when the key is missing.</summary>
    public T Get<T>(string path, T fallback) => Contains(path) ? Get<T>(path) : fallback;

    private static object ConvertTo(Type type, ConfigNode node, string path)
    {
        if (type == typeof(ConfigNode))
            return node;
        if (type.IsArray)
        {
            var elementType = type.GetElementType()!;
            var items = ListItems(node, path);
            var array = Array.CreateInstance(elementType, items.Count);
            for (int i = 0; i < items.Count; i++)
                array.SetValue(ConvertTo(elementType, items[i], $"{path}[{i}]"), i);
            return array;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var g
            && (g == typeof(List<>) || g == typeof(IReadOnlyList<>) || g == typeof(IList<>) || g == typeof(IEnumerable<>)))
        {
            var elementType = type.GetGenericArguments()[0];
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            var items = ListItems(node, path);
            for (int i = 0; i < items.Count; i++)
                list.Add(ConvertTo(elementType, items[i], $"{path}[{i}]"));
            return list;
        }
        object? v = node.Value;
        object? result = Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean when v is bool b => b,
            TypeCode.Int32 when v is long l && l is >= int.MinValue and <= int.MaxValue => (int)l,
            TypeCode.Int64 when v is long l => l,
            TypeCode.Double when v is double d => d,
            TypeCode.Double when v is long l => (double)l,
            TypeCode.Single when v is double d => (float)d,
            TypeCode.Single when v is long l => (float)l,
            TypeCode.String when v is string s => s,
            TypeCode.String when node.IsScalar && v != null => ConfigYaml.FormatFlow(node),
            _ => null,
        };
        if (result == null)
            throw new ConfigException(new ConfigError(node.Source, path,
                $"expected {type.Name}, the config holds {ConfigMerge.Describe(node)}"));
        return result;
    }

    private static IReadOnlyList<ConfigNode> ListItems(ConfigNode node, string path) => node.IsList ? node.Items
        : throw new ConfigException(new ConfigError(node.Source, path, $"expected a list, the config holds {ConfigMerge.Describe(node)}"));

    /// <summary>The config as YAML (the family's key layout; loads back to the same values).</summary>
    public string ToYaml() => ConfigYaml.Format(Root);

    /// <summary>Writes <see cref="ToYaml"/> to <paramref name="path"/> atomically (write, then rename).</summary>
    public void Save(string path) => Imaging.AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(ToYaml()));

    public override string ToString() => ToYaml();
}
