namespace TrackSharp.Config;

/// <summary>A pair of parallel lists in a config: dataset names and their sampling ratios (OSTrack's
/// <c>DATA.TRAIN.DATASETS_NAME</c> / <c>DATA.TRAIN.DATASETS_RATIO</c>).</summary>
public sealed record DatasetRatioRule(string NamesPath, string RatiosPath);

/// <summary>
/// The rule for dataset sampling ratios. OSTrack passes <c>DATASETS_RATIO</c> straight to
/// <c>random.choices(datasets, weights)</c>, which crashes with "The number of weights does not match the
/// population" when the two lists differ in length — e.g. training on one dataset while the ratios keep the
/// default <c>[1, 1]</c>. Here:
/// <list type="number">
/// <item>as many ratios as datasets: used as given;</item>
/// <item>an empty list: equal weights (1 for every dataset);</item>
/// <item>a single ratio: that ratio for every dataset (equal weights);</item>
/// <item>ratios never set by the experiment file or an override (still the family default) while the names
/// were changed: equal weights (the default ratios belong to the default names);</item>
/// <item>any other length: an error naming both lists and where each was set.</item>
/// </list>
/// Ratios must be finite and non-negative, and at least one must be positive when there are datasets.
/// After loading, the config holds the resolved list (one ratio per dataset), so the config printed at the
/// start of training shows the weights actually used.
/// </summary>
public static class DatasetRatios
{
    /// <summary>The weights for <paramref name="names"/> under the rule above; throws
    /// <see cref="ArgumentException"/> naming both lists when they cannot be matched.</summary>
    public static double[] Resolve(IReadOnlyList<string> names, IReadOnlyList<double> ratios, bool ratiosAreDefault = false)
    {
        string? problem = Check(names.Count, ratios, ratiosAreDefault, out var weights);
        if (problem != null)
            throw new ArgumentException(
                $"{problem}: DATASETS_NAME [{string.Join(", ", names)}], DATASETS_RATIO [{string.Join(", ", ratios)}]");
        return weights;
    }

    private static string? Check(int count, IReadOnlyList<double> ratios, bool ratiosAreDefault, out double[] weights)
    {
        weights = [];
        if (ratios.Any(r => !double.IsFinite(r) || r < 0))
            return "ratios must be finite and non-negative";
        if (ratios.Count == count)
            weights = ratios.ToArray();
        else if (ratios.Count == 0 || ratiosAreDefault)
            weights = Enumerable.Repeat(1.0, count).ToArray();
        else if (ratios.Count == 1)
            weights = Enumerable.Repeat(ratios[0], count).ToArray();
        else
            return $"{ratios.Count} ratios for {count} datasets (give one ratio per dataset, a single ratio or [] for equal weights)";
        if (count > 0 && weights.All(w => w == 0))
            return "all ratios are zero";
        return null;
    }

    /// <summary>Checks one rule on a loaded tree and replaces the ratios by the resolved per-dataset list.</summary>
    internal static void Apply(ConfigNode root, DatasetRatioRule rule, List<ConfigError> errors)
    {
        if (!ConfigPath.TryFind(root, rule.NamesPath, out var names) || !ConfigPath.TryFind(root, rule.RatiosPath, out var ratios)
            || !names.IsList || !ratios.IsList)
            return;
        var values = ratios.Items.Select(i => i.Value is long l ? l : i.Value is double d ? d : double.NaN).ToList();
        bool isDefault = ratios.Source.Kind == ConfigSourceKind.Defaults;
        string? problem = Check(names.Items.Count, values, isDefault, out var weights);
        if (problem != null)
        {
            errors.Add(new ConfigError(ratios.Source, rule.RatiosPath,
                $"{problem}; {LastSegment(rule.NamesPath)} ({names.Source}) is {names}, {LastSegment(rule.RatiosPath)} is {ratios}"));
            return;
        }
        if (weights.Length == ratios.Items.Count)
            return;
        bool allInts = ratios.Items.Count > 0 && ratios.Items.All(i => i.Kind == ConfigKind.Int);
        var items = weights.Select(w => allInts ? ConfigNode.Of((long)w, ratios.Source) : ConfigNode.Of(w, ratios.Source));
        ConfigPath.Replace(root, rule.RatiosPath, ConfigNode.List(items, ratios.Source));
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('.') + 1)..];
}

/// <summary>Dotted key paths (<c>DATA.TRAIN.DATASETS_NAME</c>) into a tree.</summary>
internal static class ConfigPath
{
    public static bool TryFind(ConfigNode root, string path, out ConfigNode node)
    {
        node = root;
        foreach (var key in path.Split('.'))
        {
            if (!node.TryGetChild(key, out node))
                return false;
        }
        return true;
    }

    public static void Replace(ConfigNode root, string path, ConfigNode value)
    {
        int dot = path.LastIndexOf('.');
        var parent = root;
        if (dot >= 0 && !TryFind(root, path[..dot], out parent))
            throw new KeyNotFoundException(path);
        parent.SetChild(path[(dot + 1)..], value);
    }
}
