using Microsoft.Extensions.Logging;
using TrackSharp.Config;
using TrackSharp.Data.Crop511;
using TrackSharp.Data.Loading;
using TrackSharp.Data.Sampling;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// The data side of a pysot-layout training run, shared by the SiamBAN and NanoTrack trainers (their reference code
/// uses the same <c>BANDataset</c>): the crop511 datasets of <see cref="SiamBanTrainingDatasets"/>, a
/// <see cref="SiamPairSampler"/> with NEG / GRAY / FRAME_RANGE / NUM_USE and <c>VIDEOS_PER_EPOCH</c> pairs per epoch,
/// <see cref="SiamBanSampleFunction"/> samples and a <see cref="SampleLoader{TSample}"/> of <c>VIDEOS_PER_EPOCH //
/// BATCH_SIZE</c> batches per epoch. Everything random derives from the seed.
/// </summary>
public sealed class SiamBanDataPipeline
{
    private SiamBanDataPipeline(IReadOnlyList<SiamBanDatasetSpec> specs, IReadOnlyList<Crop511Dataset> datasets,
        SampleLoader<SiamBanTrainingSample> loader, int iterations)
    {
        Specs = specs;
        Datasets = datasets;
        Loader = loader;
        IterationsPerEpoch = iterations;
    }

    /// <summary>The datasets' specs (name, folders, FRAME_RANGE, NUM_USE).</summary>
    public IReadOnlyList<SiamBanDatasetSpec> Specs { get; }

    /// <summary>The opened datasets, in the order of <see cref="Specs"/>.</summary>
    public IReadOnlyList<Crop511Dataset> Datasets { get; }

    /// <summary>The batch loader.</summary>
    public SampleLoader<SiamBanTrainingSample> Loader { get; }

    /// <summary>Batches per epoch.</summary>
    public int IterationsPerEpoch { get; }

    /// <summary>Resolves and opens the datasets and builds the loader.</summary>
    /// <exception cref="ConfigException">No dataset, a listed one without ROOT/ANNO, or an epoch too short for one batch.</exception>
    public static SiamBanDataPipeline Open(ExperimentConfig config, SiamBanTrainSettings settings, IReadOnlyDictionary<string, string> dataRoots,
        int seed, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        var specs = SiamBanTrainingDatasets.Resolve(config, dataRoots);
        var datasets = SiamBanTrainingDatasets.Open(specs);
        var sampler = new SiamPairSampler(
            specs.Zip(datasets, (spec, d) => new SiamSubset(d, spec.FrameRange, spec.NumUse)).ToArray(),
            new SiamPairSamplerOptions
            {
                VideosPerEpoch = settings.VideosPerEpoch,
                Negative = settings.Negative,
                Gray = settings.Gray,
                Seed = seed,
            });
        int iterations = sampler.EpochLength / settings.BatchSize;
        if (iterations < 1)
            throw config.Error("DATASET.VIDEOS_PER_EPOCH", $"{sampler.EpochLength} pairs per epoch make no batch of {settings.BatchSize}");
        var samples = new SiamBanSampleFunction(sampler, datasets, settings);
        var loader = new SampleLoader<SiamBanTrainingSample>(samples.AsSampleFunction(), new LoaderOptions
        {
            BatchSize = settings.BatchSize,
            EpochLength = iterations * settings.BatchSize,
            Workers = Math.Clamp(settings.NumWorkers, 1, Environment.ProcessorCount),
            Seed = seed,
        }, log);
        return new SiamBanDataPipeline(specs, datasets, loader, iterations);
    }

    /// <summary>"NAME (N tracks, ROOT), ..." for the start-of-run log line.</summary>
    public string Describe() => string.Join(", ", Specs.Zip(Datasets, (s, d) => $"{s.Name} ({d.SequenceCount} tracks, {s.Root})"));
}
