using TrackSharp.Config;
using TrackSharp.Data.Datasets;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>One dataset of an OSTrack run: its config name, the layout read, the folder and its sampling ratio.</summary>
public sealed record OSTrackDatasetSpec(string Name, DatasetFormat Format, string Root, double Ratio);

/// <summary>
/// Which datasets an OSTrack run reads. OSTrack names them in <c>DATA.TRAIN.DATASETS_NAME</c> (and
/// <c>DATA.VAL.DATASETS_NAME</c>) with ratios in <c>DATASETS_RATIO</c> and finds their folders in its
/// <c>local.py</c>; TrackSharp takes the folders from <c>--data NAME=PATH</c>. A NAME is a configured dataset name
/// (<c>GOT10K_vottrain=/data/got10k/train</c>), or a layout (<c>got10k=...</c>, <c>lasot=...</c>) that gives the folder
/// of every configured training dataset of that layout without a folder of its own, or, when no configured dataset
/// has that layout, adds one (<c>otb=...</c>, ratio 1). GOT-10k's split names (<c>vottrain</c>, <c>votval</c>) read the
/// whole folder given: point them at a folder holding just that split.
/// </summary>
public static class OSTrackTrainingDatasets
{
    /// <summary>OSTrack dataset names TrackSharp reads, and their layout.</summary>
    private static readonly Dictionary<string, DatasetFormat> Readable = new(StringComparer.Ordinal)
    {
        ["LASOT"] = DatasetFormat.Lasot,
        ["GOT10K_vottrain"] = DatasetFormat.Got10k,
        ["GOT10K_votval"] = DatasetFormat.Got10k,
        ["GOT10K_train_full"] = DatasetFormat.Got10k,
        ["GOT10K_official_val"] = DatasetFormat.Got10k,
    };

    /// <summary>The training datasets (<c>DATA.TRAIN</c>), each with a folder.</summary>
    /// <exception cref="ConfigException">A configured dataset TrackSharp cannot read, or none at all.</exception>
    /// <exception cref="ArgumentException">A configured dataset without a folder (the message names <c>--data NAME=PATH</c>).</exception>
    public static IReadOnlyList<OSTrackDatasetSpec> ResolveTrain(ExperimentConfig config, IReadOnlyDictionary<string, string> dataRoots)
    {
        var specs = Configured(config, "DATA.TRAIN", dataRoots, byFormat: true);
        foreach (var (key, path) in dataRoots)
        {
            if (specs.Any(s => string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase)) || IsConfiguredName(config, key)) continue;
            var format = DatasetFormats.Parse(key);
            if (!specs.Any(s => s.Format == format)) specs.Add(new OSTrackDatasetSpec(DatasetFormats.Name(format), format, path, 1.0));
        }
        foreach (var s in specs)
            if (s.Root.Length == 0)
                throw new ArgumentException($"training dataset '{s.Name}' (DATA.TRAIN.DATASETS_NAME) has no folder: give --data {s.Name}=PATH");
        if (specs.Count == 0)
            throw config.Error("DATA.TRAIN.DATASETS_NAME", "no training dataset: list one in the config or give --data NAME=PATH");
        return specs;
    }

    /// <summary>The validation datasets (<c>DATA.VAL</c>) that have a folder from <c>--data</c> under their own name; an
    /// empty list means no validation.</summary>
    public static IReadOnlyList<OSTrackDatasetSpec> ResolveVal(ExperimentConfig config, IReadOnlyDictionary<string, string> dataRoots)
    {
        if (!config.Contains("DATA.VAL.DATASETS_NAME")) return [];
        var names = config.Get<List<string>>("DATA.VAL.DATASETS_NAME");
        if (names.Any(n => !Readable.ContainsKey(n)) || names.Any(n => !dataRoots.Keys.Contains(n, StringComparer.OrdinalIgnoreCase)))
            return [];
        return Configured(config, "DATA.VAL", dataRoots, byFormat: false);
    }

    private static bool IsConfiguredName(ExperimentConfig config, string key) =>
        config.Contains("DATA.VAL.DATASETS_NAME")
        && config.Get<List<string>>("DATA.VAL.DATASETS_NAME").Contains(key, StringComparer.OrdinalIgnoreCase);

    private static List<OSTrackDatasetSpec> Configured(ExperimentConfig config, string section, IReadOnlyDictionary<string, string> dataRoots,
        bool byFormat)
    {
        var names = config.Get<List<string>>($"{section}.DATASETS_NAME");
        var ratios = config.Get($"{section}.DATASETS_RATIO", new List<double>());
        var weights = names.Count == 0 ? [] : DatasetRatios.Resolve(names, ratios);
        var specs = new List<OSTrackDatasetSpec>();
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            if (!Readable.TryGetValue(name, out var format))
                throw config.Error($"{section}.DATASETS_NAME",
                    $"dataset '{name}' has no TrackSharp reader yet (readable: {string.Join(", ", Readable.Keys)}, and with --data " +
                    $"NAME=PATH any of {string.Join(", ", DatasetFormats.Names)}); remove it from the list");
            string root = dataRoots.FirstOrDefault(d => string.Equals(d.Key, name, StringComparison.OrdinalIgnoreCase)).Value
                          ?? (byFormat ? dataRoots.FirstOrDefault(d => IsFormat(d.Key, format)).Value : null) ?? "";
            specs.Add(new OSTrackDatasetSpec(name, format, root, weights[i]));
        }
        return specs;
    }

    private static bool IsFormat(string key, DatasetFormat format)
    {
        try { return DatasetFormats.Parse(key) == format; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>Opens every dataset (lazily) and fails on a missing folder or one without sequences.</summary>
    public static IReadOnlyList<ISequenceDataset> Open(IReadOnlyList<OSTrackDatasetSpec> specs)
    {
        var result = new List<ISequenceDataset>();
        foreach (var spec in specs)
        {
            if (!Directory.Exists(spec.Root))
                throw new DirectoryNotFoundException(
                    $"dataset '{spec.Name}': folder '{spec.Root}' does not exist (set it with --data {spec.Name}=PATH)");
            var dataset = DatasetReader.Open(spec.Root, spec.Format);
            if (dataset.Sequences.Count == 0)
                throw new DatasetFormatException(spec.Root, null, $"dataset '{spec.Name}' has no {DatasetFormats.Name(spec.Format)} sequences");
            result.Add(dataset);
        }
        return result;
    }
}
