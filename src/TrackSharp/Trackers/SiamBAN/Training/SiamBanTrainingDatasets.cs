using TrackSharp.Config;
using TrackSharp.Data.Crop511;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>One crop511 training dataset of a SiamBAN run (<c>DATASET.&lt;NAME&gt;</c>).</summary>
/// <param name="Name">The config name (<c>VID</c>, <c>GOT10K</c>, ...) or the <c>--data</c> name.</param>
/// <param name="Root">ROOT: the crop folder.</param>
/// <param name="Annotation">ANNO: the JSON.</param>
/// <param name="FrameRange">FRAME_RANGE.</param>
/// <param name="NumUse">NUM_USE (-1: every track once).</param>
public sealed record SiamBanDatasetSpec(string Name, string Root, string Annotation, int FrameRange, int NumUse);

/// <summary>
/// The datasets of a SiamBAN run: <c>DATASET.NAMES</c> with each name's <c>ROOT</c>, <c>ANNO</c>, <c>FRAME_RANGE</c>
/// and <c>NUM_USE</c>, then the command line's <c>--data NAME=DIR</c>, where DIR is what <c>datasets crop511</c> wrote
/// (<c>DIR/crop511</c> and <c>DIR/train.json</c>): a NAME in the list moves that dataset to DIR; another NAME adds a
/// dataset (FRAME_RANGE and NUM_USE from <c>DATASET.&lt;NAME&gt;</c> when the config has them, else 100 and -1).
/// <c>DATASET.NAMES=[]</c> trains on the <c>--data</c> datasets only.
/// </summary>
public static class SiamBanTrainingDatasets
{
    /// <exception cref="ConfigException">A listed name without ROOT/ANNO, or no dataset at all.</exception>
    public static IReadOnlyList<SiamBanDatasetSpec> Resolve(ExperimentConfig config, IReadOnlyDictionary<string, string> dataRoots)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dataRoots);
        var specs = new List<SiamBanDatasetSpec>();
        foreach (string name in config.Get<List<string>>("DATASET.NAMES", []))
        {
            string section = $"DATASET.{name}";
            if (dataRoots.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) is { } key)
            {
                specs.Add(FromFolder(name, dataRoots[key], config));
                continue;
            }
            if (!config.Contains(section + ".ROOT") || !config.Contains(section + ".ANNO"))
                throw config.Error("DATASET.NAMES", $"dataset '{name}' has no {section}.ROOT / ANNO; give them or --data {name}=DIR");
            specs.Add(new SiamBanDatasetSpec(name, config.Get<string>(section + ".ROOT"), config.Get<string>(section + ".ANNO"),
                config.Get(section + ".FRAME_RANGE", 100), config.Get(section + ".NUM_USE", -1)));
        }
        foreach (var (name, dir) in dataRoots)
            if (!specs.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
                specs.Add(FromFolder(name, dir, config));
        if (specs.Count == 0)
            throw config.Error("DATASET.NAMES", "no training dataset: list one in the config or give --data NAME=DIR (a folder written by 'datasets crop511')");
        return specs;
    }

    private static SiamBanDatasetSpec FromFolder(string name, string dir, ExperimentConfig config)
    {
        string section = $"DATASET.{name}";
        return new SiamBanDatasetSpec(name, Path.Combine(dir, Crop511Layout.CropFolder), Path.Combine(dir, Crop511Layout.AnnotationFile),
            config.Get(section + ".FRAME_RANGE", 100), config.Get(section + ".NUM_USE", -1));
    }

    /// <summary>Reads every dataset's annotations; a dataset without usable tracks is an error naming it.</summary>
    public static IReadOnlyList<Crop511Dataset> Open(IReadOnlyList<SiamBanDatasetSpec> specs)
    {
        var result = new List<Crop511Dataset>();
        foreach (var spec in specs)
        {
            Crop511Dataset dataset;
            try
            {
                dataset = Crop511Dataset.Open(spec.Root, spec.Annotation, spec.Name);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                throw new FileNotFoundException($"training dataset '{spec.Name}' (DATASET.{spec.Name}.ROOT / ANNO): {e.Message} (set it with --data {spec.Name}=DIR, " +
                                                "a folder written by 'tracksharp datasets crop511')", e);
            }
            if (dataset.SequenceCount == 0)
                throw new Data.Datasets.DatasetFormatException(spec.Annotation, null, $"training dataset '{spec.Name}' has no track with a valid box");
            result.Add(dataset);
        }
        return result;
    }
}
