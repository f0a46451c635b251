namespace TrackSharp.Config;

/// <summary>
/// Loads an experiment config: the family's defaults, then each experiment file in order, then the
/// command-line overrides, then the family's checks (<see cref="DatasetRatios"/>).
/// <para>Overrides are <c>KEY.PATH=value</c> with the value parsed as YAML (a scalar, a flow sequence
/// <c>[GOT10K_vottrain, LASOT]</c> or a flow mapping <c>{SIZE: 320, FACTOR: 5.0}</c>, merged key by key); an
/// empty value sets a string key to <c>''</c> and anything else to null.</para>
/// <para>Every problem of a load is collected and thrown as one <see cref="ConfigException"/> whose lines name
/// the file and line (or the override text) and the full key path.</para>
/// </summary>
public static class ConfigLoader
{
    public static ExperimentConfig Load(ConfigFamily family, IReadOnlyList<string> experimentFiles, IEnumerable<string> overrides)
    {
        var root = family.Defaults();
        var errors = new List<ConfigError>();
        foreach (var file in experimentFiles)
        {
            ConfigNode parsed;
            try
            {
                parsed = ConfigYaml.ParseFile(file);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors);
                continue;
            }
            if (!parsed.IsMap)
            {
                errors.Add(new ConfigError(parsed.Source, "", $"expected a mapping at the top, got {ConfigMerge.Describe(parsed)}"));
                continue;
            }
            ConfigMerge.Merge(root, parsed, "", errors);
            if (family.IsSchemaFree)
                root.IsOpen = false; // the first file defines the keys
        }
        var overrideList = overrides.ToList();
        foreach (var text in overrideList)
            ApplyOverride(root, text, errors);
        if (errors.Count == 0)
            foreach (var rule in family.DatasetRules)
                DatasetRatios.Apply(root, rule, errors);
        if (errors.Count > 0)
            throw new ConfigException(errors);
        return new ExperimentConfig(family, root, experimentFiles, overrideList);
    }

    /// <summary>Loads one experiment file of <paramref name="family"/> with optional overrides.</summary>
    public static ExperimentConfig Load(ConfigFamily family, string? experimentFile, params string[] overrides) =>
        Load(family, experimentFile == null ? [] : [experimentFile], overrides);

    private static void ApplyOverride(ConfigNode root, string text, List<ConfigError> errors)
    {
        var source = new ConfigSource(ConfigSourceKind.Override, text);
        int eq = text.IndexOf('=');
        string path = eq < 0 ? "" : text[..eq].Trim();
        if (eq < 0 || path.Length == 0 || path.Split('.').Any(k => k.Length == 0 || k.Any(char.IsWhiteSpace)))
        {
            errors.Add(new ConfigError(source, "", "expected KEY.PATH=value"));
            return;
        }
        string valueText = text[(eq + 1)..];
        ConfigNode value;
        if (valueText.Trim().Length == 0)
        {
            bool isString = ConfigPath.TryFind(root, path, out var existing) && existing.Kind == ConfigKind.String;
            value = isString ? ConfigNode.Of("", source) : ConfigNode.Null(source);
        }
        else
        {
            try
            {
                value = Resource(ConfigYaml.Parse(valueText, text, ConfigSourceKind.Override), source);
            }
            catch (ConfigException e)
            {
                errors.AddRange(e.Errors.Select(x => x with { KeyPath = path }));
                return;
            }
        }
        var keys = path.Split('.');
        var incoming = value;
        for (int i = keys.Length - 1; i >= 0; i--)
            incoming = ConfigNode.Map([new(keys[i], incoming)], source);
        ConfigMerge.Merge(root, incoming, "", errors);
    }

    /// <summary>The override's nodes all report the override text (line and column of a one-line value mean nothing).</summary>
    private static ConfigNode Resource(ConfigNode node, ConfigSource source) => node.Kind switch
    {
        ConfigKind.Map => ConfigNode.Map(node.Entries.Select(e => new KeyValuePair<string, ConfigNode>(e.Key, Resource(e.Value, source))), source, node.IsOpen),
        ConfigKind.List => ConfigNode.List(node.Items.Select(i => Resource(i, source)), source),
        _ => node.WithSource(source),
    };
}
