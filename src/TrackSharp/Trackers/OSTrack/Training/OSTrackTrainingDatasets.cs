using TrackSharp.Config;
using TrackSharp.Data.Datasets;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>One dataset of an OSTrack run: its config name, the layout read, the folder and its sampling ratio;
/// <paramref name="SplitFile"/> is the GOT-10k split list that selects its sequences (null: every sequence of the folder).</summary>
public sealed record OSTrackDatasetSpec(string Name, DatasetFormat Format, string Root, double Ratio, string? SplitFile = null);

/// <summary>
/// Which datasets an OSTrack run reads. OSTrack names them in <c>DATA.TRAIN.DATASETS_NAME</c> (and
/// <c>DATA.VAL.DATASETS_NAME</c>) with ratios in <c>DATASETS_RATIO</c> and finds their folders in its
/// <c>local.py</c>; TrackSharp takes the folders from <c>--data NAME=PATH</c>. A NAME is a configured dataset name
/// (<c>GOT10K_vottrain=/data/got10k/train</c>), or a layout (<c>got10k=...</c>, <c>lasot=...</c>) that gives the folder
/// of every configured training dataset of that layout without a folder of its own, or, when no configured dataset
/// has that layout, adds one (<c>otb=...</c>, ratio 1; a GOT-10k folder added this way is read whole).
/// <para>
/// As in OSTrack's <c>names2datasets</c>: <c>GOT10K_vottrain</c>, <c>GOT10K_votval</c> and <c>GOT10K_train_full</c> are the
/// sequences of the GOT-10k <em>train</em> folder that the split lists <c>got10k_vot_train_split.txt</c>,
/// <c>got10k_vot_val_split.txt</c> and <c>got10k_train_full_split.txt</c> select (0-based indices into the folder's
/// <c>list.txt</c>, see <see cref="Got10kSplits"/>); <c>GOT10K_official_val</c> is the whole GOT-10k <em>val</em> folder
/// (upstream passes <c>split=None</c>). The split lists are not shipped: they are read from the folder given with
/// <c>--data GOT10K_SPLITS=FOLDER</c> (OSTrack's <c>lib/train/data_specs</c>), else from the GOT-10k folder itself.
/// <c>COCO17</c> is COCO 2017 train as one-frame sequences (<see cref="CocoTrackingReader"/>, split <c>train2017</c>),
/// <c>TRACKINGNET</c> the TrackingNet training chunks <c>TRAIN_0</c>..<c>TRAIN_11</c> (the <c>TEST</c> chunk, which has
/// only first-frame boxes, is left out as upstream's default <c>set_ids</c> do), <c>VID</c> ImageNet-VID.
/// </para>
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
        ["COCO17"] = DatasetFormat.Coco,
        ["TRACKINGNET"] = DatasetFormat.TrackingNet,
        ["VID"] = DatasetFormat.ImagenetVid,
    };

    /// <summary>The GOT-10k split each OSTrack name reads (<see cref="Got10kSplits.Files"/>); names not here read their
    /// whole folder.</summary>
    private static readonly Dictionary<string, string> Got10kSplitOf = new(StringComparer.Ordinal)
    {
        ["GOT10K_vottrain"] = "vottrain",
        ["GOT10K_votval"] = "votval",
        ["GOT10K_train_full"] = "train_full",
    };

    /// <summary>The <c>--data</c> name of the folder holding the GOT-10k split lists (OSTrack's <c>lib/train/data_specs</c>).</summary>
    public const string SplitsKey = "GOT10K_SPLITS";

    /// <summary>The COCO split <c>COCO17</c> reads (upstream <c>MSCOCOSeq(version="2017")</c>, split "train").</summary>
    public const string Coco17Split = "train2017";

    /// <summary>The training datasets (<c>DATA.TRAIN</c>), each with a folder.</summary>
    /// <exception cref="ConfigException">A configured dataset TrackSharp cannot read, or none at all.</exception>
    /// <exception cref="ArgumentException">A configured dataset without a folder (the message names <c>--data NAME=PATH</c>).</exception>
    public static IReadOnlyList<OSTrackDatasetSpec> ResolveTrain(ExperimentConfig config, IReadOnlyDictionary<string, string> dataRoots)
    {
        var specs = Configured(config, "DATA.TRAIN", dataRoots, byFormat: true);
        foreach (var (key, path) in dataRoots)
        {
            if (specs.Any(s => string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase)) || IsConfiguredName(config, key)
                || string.Equals(key, SplitsKey, StringComparison.OrdinalIgnoreCase)) continue;
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
            specs.Add(new OSTrackDatasetSpec(name, format, root, weights[i], SplitFileOf(name, root, dataRoots)));
        }
        return specs;
    }

    /// <summary>Where the split list of <paramref name="name"/> is read: in the <c>--data GOT10K_SPLITS</c> folder when
    /// given, else in the dataset folder; null for names that read their whole folder.</summary>
    private static string? SplitFileOf(string name, string root, IReadOnlyDictionary<string, string> dataRoots)
    {
        if (!Got10kSplitOf.TryGetValue(name, out string? split)) return null;
        string? folder = dataRoots.FirstOrDefault(d => string.Equals(d.Key, SplitsKey, StringComparison.OrdinalIgnoreCase)).Value;
        if (folder is null && root.Length == 0) return null; // no folder at all: ResolveTrain names the missing --data
        return Got10kSplits.PathOf(split, folder ?? root);
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
            var dataset = OpenOne(spec);
            if (dataset.Sequences.Count == 0)
                throw new DatasetFormatException(spec.Root, null, $"dataset '{spec.Name}' has no {DatasetFormats.Name(spec.Format)} sequences");
            result.Add(dataset);
        }
        return result;
    }

    private static SequenceDataset OpenOne(OSTrackDatasetSpec spec)
    {
        switch (spec.Format)
        {
            case DatasetFormat.Coco when spec.Name == "COCO17":
                return CocoTrackingReader.Open(spec.Root, Coco17Split);
            case DatasetFormat.TrackingNet:
            {
                var all = DatasetReader.Open(spec.Root, spec.Format);
                var train = all.Sequences.Where(s => s.Attributes.TryGetValue("chunk", out string? chunk) && chunk != "TEST").ToList();
                return new SequenceDataset(all.Root, all.Format, train, all.Findings);
            }
            case DatasetFormat.Got10k when spec.SplitFile is { } splitFile:
                if (!File.Exists(splitFile))
                    throw new FileNotFoundException(
                        $"dataset '{spec.Name}': GOT-10k split list '{splitFile}' not found; give the folder holding OSTrack's " +
                        $"lib/train/data_specs files with --data {SplitsKey}=FOLDER (or put the file in the GOT-10k folder)", splitFile);
                return Got10kSplits.Select(DatasetReader.Open(spec.Root, spec.Format), splitFile);
            default:
                return DatasetReader.Open(spec.Root, spec.Format);
        }
    }
}
