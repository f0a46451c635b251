using System.Collections.Concurrent;

namespace TrackSharp.Config;

/// <summary>
/// A model family's config layout: its typed defaults (a YAML string; the schema — key set and value kinds — is
/// derived from them) and its checks. A family without defaults is schema-free: the first experiment file
/// defines the key set and kinds, and overrides must fit it (video_analyst and maskrcnn-benchmark write fully
/// resolved configs, which is what those families load).
/// </summary>
public sealed class ConfigFamily
{
    private static readonly ConcurrentDictionary<string, ConfigFamily> Registry = new(StringComparer.OrdinalIgnoreCase);
    private ConfigNode? _defaults;

    private ConfigFamily(string name, string description, string? defaultsYaml, IReadOnlyList<DatasetRatioRule> datasetRules)
    {
        Name = name;
        Description = description;
        DefaultsYaml = defaultsYaml;
        DatasetRules = datasetRules;
    }

    /// <summary>OSTrack (<c>lib/config/ostrack/config.py</c>), with the four backbone size keys the golden config adds.</summary>
    public static ConfigFamily OSTrack { get; } = Register(new("ostrack",
        "OSTrack (lib/config/ostrack/config.py layout: MODEL, TRAIN, DATA, TEST)", Families.OSTrackDefaults.Yaml,
        [new("DATA.TRAIN.DATASETS_NAME", "DATA.TRAIN.DATASETS_RATIO"), new("DATA.VAL.DATASETS_NAME", "DATA.VAL.DATASETS_RATIO")]));

    /// <summary>SiamBAN (siamban/core/config.py, pysot layout: META_ARC, TRAIN, DATASET, BACKBONE, ADJUST, BAN, POINT, TRACK).</summary>
    public static ConfigFamily SiamBan { get; } = Register(new("siamban",
        "SiamBAN / pysot (core/config.py layout: TRAIN, DATASET, BACKBONE, ADJUST, BAN, POINT, TRACK)", Families.SiamBanDefaults.Yaml, []));

    /// <summary>video_analyst task configs (SiamFC++: model, pipeline, tester, data, optim, trainer), schema-free.</summary>
    public static ConfigFamily VideoAnalyst { get; } = Register(new("video_analyst",
        "video_analyst task config (SiamFC++), schema-free: the resolved file defines the keys", null, []));

    /// <summary>maskrcnn-benchmark / FCOS resolved yacs configs, schema-free.</summary>
    public static ConfigFamily MaskRcnnBenchmark { get; } = Register(new("maskrcnn_benchmark",
        "maskrcnn-benchmark / FCOS resolved config, schema-free", null, []));

    /// <summary>pytracking's ltr training settings (TrDiMP/TrSiam: settings, data, model, loss_weight, optimizer, trainer).</summary>
    public static ConfigFamily Ltr { get; } = Register(new("ltr",
        "pytracking ltr training settings (transformer_dimp.py as YAML: settings, data, model, loss_weight, optimizer, trainer)",
        Families.LtrDefaults.Yaml, [new("data.train.datasets", "data.train.ratios")]));

    public string Name { get; }
    public string Description { get; }

    /// <summary>The defaults as YAML (null for a schema-free family).</summary>
    public string? DefaultsYaml { get; }

    public bool IsSchemaFree => DefaultsYaml == null;

    /// <summary>Name/ratio list pairs checked and resolved by <see cref="DatasetRatios"/> after loading.</summary>
    public IReadOnlyList<DatasetRatioRule> DatasetRules { get; }

    /// <summary>A fresh copy of the defaults tree (an empty open mapping for a schema-free family).</summary>
    public ConfigNode Defaults()
    {
        if (DefaultsYaml == null)
            return ConfigNode.Map([], new ConfigSource(ConfigSourceKind.Defaults, Name), open: true);
        _defaults ??= ConfigYaml.Parse(DefaultsYaml, Name, ConfigSourceKind.Defaults);
        return _defaults.DeepClone();
    }

    /// <summary>The schema: every key path with its value kind and, for mappings, whether new keys are allowed.</summary>
    public IReadOnlyList<(string Path, ConfigKind Kind, bool Open)> Schema()
    {
        var list = new List<(string, ConfigKind, bool)>();
        void Walk(ConfigNode n, string path)
        {
            foreach (var (k, v) in n.Entries)
            {
                string p = path.Length == 0 ? k : path + "." + k;
                list.Add((p, v.Kind, v.IsMap && v.IsOpen));
                if (v.IsMap)
                    Walk(v, p);
            }
        }
        Walk(Defaults(), "");
        return list;
    }

    /// <summary>Loads defaults, then <paramref name="experimentFile"/> (if any), then the overrides
    /// (<c>KEY.PATH=value</c>). See <see cref="ConfigLoader"/>.</summary>
    public ExperimentConfig Load(string? experimentFile, IEnumerable<string>? overrides = null) =>
        ConfigLoader.Load(this, experimentFile == null ? [] : [experimentFile], overrides ?? []);

    /// <summary>A family from a defaults YAML string (mark open mappings with <c>!open</c>; <c>{}</c> is open).</summary>
    public static ConfigFamily FromYaml(string name, string defaultsYaml, IReadOnlyList<DatasetRatioRule>? datasetRules = null,
        string? description = null)
    {
        var family = new ConfigFamily(name, description ?? name, defaultsYaml, datasetRules ?? []);
        family.Defaults(); // malformed defaults fail here, not at the first load
        return family;
    }

    /// <summary>Adds (or replaces) a family in the registry <see cref="Get"/> reads.</summary>
    public static ConfigFamily Register(ConfigFamily family)
    {
        Registry[family.Name] = family;
        return family;
    }

    /// <summary>A registered family by name (case-insensitive): ostrack, siamban, video_analyst, maskrcnn_benchmark.</summary>
    public static ConfigFamily Get(string name)
    {
        _ = OSTrack; // make sure the built-ins are registered
        return Registry.TryGetValue(name, out var f) ? f
            : throw new KeyNotFoundException($"unknown config family '{name}' (known: {string.Join(", ", Names)})");
    }

    public static IEnumerable<string> Names => Registry.Keys.Order(StringComparer.Ordinal);

    public override string ToString() => Name;
}
