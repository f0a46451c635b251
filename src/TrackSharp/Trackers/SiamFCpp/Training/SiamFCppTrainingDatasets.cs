using TrackSharp.Config;
using TrackSharp.Data.Datasets;

namespace TrackSharp.Trackers.SiamFCpp.Training;

/// <summary>One training dataset of a SiamFC++ run: where it is read from and how it is sampled.</summary>
/// <param name="Name">The config's dataset name (<c>GOT10kDataset</c>) or the format given with <c>--data</c> (<c>otb</c>).</param>
/// <param name="Format">The layout TrackSharp reads it as.</param>
/// <param name="Root">The folder opened.</param>
/// <param name="Ratio">videoanalyst's <c>ratio</c>: the share of the dataset's videos used per epoch (1 = all).</param>
/// <param name="MaxDiff">videoanalyst's <c>max_diff</c>: the largest template–search frame distance.</param>
public sealed record SiamFCppDatasetSpec(string Name, DatasetFormat Format, string Root, double Ratio, int MaxDiff);

/// <summary>
/// Which datasets a SiamFC++ run trains on: the config's <c>data.sampler.submodules.dataset.names</c> with their
/// <c>dataset_root</c>, <c>subset</c>, <c>ratio</c> and <c>max_diff</c>, then the command line's <c>--data NAME=PATH</c>:
/// a NAME that is a configured dataset (<c>GOT10kDataset</c>) or the format of one (<c>got10k</c>) moves that dataset
/// to PATH; any other format name (<c>otb</c>, <c>lasot</c>, <c>custom</c>, ... as <c>datasets check</c> knows them)
/// adds a dataset. <c>data.sampler.submodules.dataset.names=[]</c> trains on the <c>--data</c> datasets only.
/// </summary>
public static class SiamFCppTrainingDatasets
{
    private const string Section = "data.sampler.submodules.dataset";

    /// <summary>videoanalyst dataset names TrackSharp can read, and their layout.</summary>
    private static readonly Dictionary<string, DatasetFormat> Readable = new(StringComparer.Ordinal)
    {
        ["GOT10kDataset"] = DatasetFormat.Got10k,
        ["GOT10kDatasetFixed"] = DatasetFormat.Got10k,
        ["LaSOTDataset"] = DatasetFormat.Lasot,
    };

    /// <summary>The datasets of the run (config, then <paramref name="dataRoots"/>).</summary>
    /// <exception cref="ConfigException">A configured dataset TrackSharp cannot read yet, or none at all.</exception>
    /// <exception cref="ArgumentException">A <c>--data</c> name that is neither a configured dataset nor a format.</exception>
    public static IReadOnlyList<SiamFCppDatasetSpec> Resolve(ExperimentConfig config, IReadOnlyDictionary<string, string> dataRoots)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dataRoots);
        var specs = new List<SiamFCppDatasetSpec>();
        foreach (string name in config.Get<List<string>>($"{Section}.names"))
        {
            if (!Readable.TryGetValue(name, out var format))
                throw config.Error($"{Section}.names",
                    $"dataset '{name}' has no TrackSharp reader yet (readable: {string.Join(", ", Readable.Keys)}, and with --data " +
                    $"NAME=PATH any of {string.Join(", ", DatasetFormats.Names)}); remove it from the list");
            string root = config.Get<string>($"{Section}.{name}.dataset_root");
            string subset = config.Get($"{Section}.{name}.subset", "");
            if (subset.Length > 0 && Directory.Exists(Path.Combine(root, subset))) root = Path.Combine(root, subset);
            specs.Add(new SiamFCppDatasetSpec(name, format, root,
                config.Get($"{Section}.{name}.ratio", 1.0), config.Get($"{Section}.{name}.max_diff", 100)));
        }

        foreach (var (key, path) in dataRoots)
        {
            int i = specs.FindIndex(s => string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase));
            DatasetFormat format;
            if (i < 0)
            {
                format = DatasetFormats.Parse(key);
                i = specs.FindIndex(s => s.Format == format && !dataRoots.Keys.Any(k => string.Equals(k, s.Name, StringComparison.OrdinalIgnoreCase)));
            }
            else format = specs[i].Format;
            if (i >= 0) specs[i] = specs[i] with { Root = path };
            else specs.Add(new SiamFCppDatasetSpec(DatasetFormats.Name(format), format, path, 1.0, 100));
        }
        if (specs.Count == 0)
            throw config.Error($"{Section}.names", "no training dataset: list one in the config or give --data NAME=PATH");
        foreach (var s in specs)
            if (!(s.Ratio > 0)) throw new ArgumentException($"dataset '{s.Name}': ratio must be positive, got {s.Ratio}");
        return specs;
    }

    /// <summary>Opens every dataset (lazily: nothing is decoded) and fails on one that has no usable sequence.</summary>
    /// <exception cref="DirectoryNotFoundException">A root does not exist (the message names the dataset and the folder).</exception>
    public static IReadOnlyList<ISequenceDataset> Open(IReadOnlyList<SiamFCppDatasetSpec> specs)
    {
        var result = new List<ISequenceDataset>();
        foreach (var spec in specs)
        {
            if (!Directory.Exists(spec.Root))
                throw new DirectoryNotFoundException(
                    $"training dataset '{spec.Name}': folder '{spec.Root}' does not exist (set it with --data {spec.Name}=PATH)");
            var dataset = DatasetReader.Open(spec.Root, spec.Format);
            if (dataset.Sequences.Count == 0)
                throw new DatasetFormatException(spec.Root, null, $"training dataset '{spec.Name}' has no {DatasetFormats.Name(spec.Format)} sequences");
            result.Add(dataset);
        }
        return result;
    }
}
