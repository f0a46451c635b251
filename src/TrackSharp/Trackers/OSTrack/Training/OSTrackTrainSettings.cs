using TrackSharp.Config;
using TrackSharp.Data.Processing;
using TrackSharp.Data.Sampling;

namespace TrackSharp.Trackers.OSTrack.Training;

/// <summary>
/// The training settings of an OSTrack experiment config (<c>TRAIN.*</c>, <c>DATA.*</c>), read once and checked;
/// a bad value throws <see cref="ConfigException"/> naming the key and the file.
/// </summary>
public sealed record OSTrackTrainSettings
{
    public required int BatchSize { get; init; }
    public required int Epochs { get; init; }

    /// <summary><c>DATA.TRAIN.SAMPLE_PER_EPOCH</c>; an epoch is <c>SAMPLE_PER_EPOCH // BATCH_SIZE</c> iterations
    /// (the loader drops the last incomplete batch).</summary>
    public required int SamplesPerEpoch { get; init; }

    public required int ValSamplesPerEpoch { get; init; }

    /// <summary><c>TRAIN.VAL_EPOCH_INTERVAL</c>: validate after every N-th epoch.</summary>
    public required int ValEpochInterval { get; init; }

    /// <summary><c>TRAIN.PRINT_INTERVAL</c>: a console line every N iterations (and at the end of the epoch).</summary>
    public required int PrintInterval { get; init; }

    public required int CeStartEpoch { get; init; }
    public required int CeWarmEpoch { get; init; }
    public required OSTrackOptimizerSettings Optimizer { get; init; }
    public required OSTrackLossWeights LossWeights { get; init; }

    /// <summary><c>TRAIN.FREEZE_LAYERS</c>: read for completeness; upstream OSTrack never uses it (it is a STARK leftover
    /// in <c>lib/config/ostrack/config.py</c>), so it freezes nothing here either. The trainer logs a warning when it is set
    /// (see <see cref="WarnsAboutFreezeLayers"/>).</summary>
    public required IReadOnlyList<int> FreezeLayers { get; init; }

    /// <summary>True when <c>TRAIN.FREEZE_LAYERS</c> asks for something: a non-empty list other than upstream's default
    /// <c>[0]</c>, which every published OSTrack config carries and which means "nothing" there too (so it stays silent).</summary>
    public static bool WarnsAboutFreezeLayers(IReadOnlyList<int> layers) => layers.Count > 0 && !(layers.Count == 1 && layers[0] == 0);

    /// <summary><c>TRAIN.NUM_WORKER</c>, at least 1.</summary>
    public required int Workers { get; init; }

    public required TrackingSamplerOptions Sampler { get; init; }
    public required OSTrackProcessingOptions Processing { get; init; }

    /// <summary>Iterations per epoch: <c>SAMPLE_PER_EPOCH // BATCH_SIZE</c>.</summary>
    public int IterationsPerEpoch => SamplesPerEpoch / BatchSize;

    /// <summary>Validation batches per validation pass.</summary>
    public int ValIterations => ValSamplesPerEpoch / BatchSize;

    /// <summary>The validation crops: OSTrack's <c>transform_val</c> is ToTensor + Normalize (no brightness jitter, no
    /// per-crop flip); the joint transform and the box jitter are the training ones.</summary>
    public OSTrackProcessingOptions ValProcessing => Processing with
    {
        BrightnessJitter = 0,
        Template = Processing.Template with { FlipProbability = 0 },
        Search = Processing.Search with { FlipProbability = 0 },
    };

    /// <summary>OSTrack's checkpoint schedule (<c>BaseTrainer.train</c>): after epoch e (1-based) when
    /// <c>e &gt; max − 1</c>, <c>e % 40 == 0</c>, <c>e ∈ {79, 159, 239}</c> or <c>e &gt; max − 5</c>.</summary>
    public static bool SavesAfterEpoch(int epoch, int maxEpochs) =>
        epoch > maxEpochs - 1 || epoch % 40 == 0 || epoch is 79 or 159 or 239 || epoch > maxEpochs - 5;

    public static OSTrackTrainSettings FromConfig(ExperimentConfig config, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        int Positive(string key)
        {
            int v = config.Get<int>(key);
            return v >= 1 ? v : throw config.Error(key, $"must be at least 1, got {v}");
        }
        string optimizer = config.Get("TRAIN.OPTIMIZER", "ADAMW");
        if (optimizer != "ADAMW") throw config.Error("TRAIN.OPTIMIZER", $"'{optimizer}' is not supported (ADAMW, as upstream)");
        string scheduler = config.Get("TRAIN.SCHEDULER.TYPE", "step");
        if (scheduler != "step") throw config.Error("TRAIN.SCHEDULER.TYPE", $"'{scheduler}' is not supported (step)");
        int batch = Positive("TRAIN.BATCH_SIZE");
        int samples = Positive("DATA.TRAIN.SAMPLE_PER_EPOCH");
        if (samples < batch)
            throw config.Error("DATA.TRAIN.SAMPLE_PER_EPOCH", $"{samples} samples make no batch of TRAIN.BATCH_SIZE {batch}");
        string mode = config.Get("DATA.SAMPLER_MODE", "causal");
        var sampleMode = mode switch
        {
            "causal" => FrameSampleMode.Causal,
            "interval" => FrameSampleMode.Interval,
            "trident" => FrameSampleMode.Trident,
            "trident_pro" => FrameSampleMode.TridentPro,
            _ => throw config.Error("DATA.SAMPLER_MODE", $"'{mode}' is not one of causal, interval, trident, trident_pro"),
        };
        double grad = config.Get("TRAIN.GRAD_CLIP_NORM", 0.1);
        CropSettings Crop(string k) => new(config.Get<double>($"DATA.{k}.FACTOR"), config.Get<int>($"DATA.{k}.SIZE"),
            config.Get<double>($"DATA.{k}.CENTER_JITTER"), config.Get<double>($"DATA.{k}.SCALE_JITTER"), 0.5);
        return new OSTrackTrainSettings
        {
            BatchSize = batch,
            Epochs = Positive("TRAIN.EPOCH"),
            SamplesPerEpoch = samples,
            ValSamplesPerEpoch = Math.Max(config.Get("DATA.VAL.SAMPLE_PER_EPOCH", 0), 0),
            ValEpochInterval = Positive("TRAIN.VAL_EPOCH_INTERVAL"),
            PrintInterval = Positive("TRAIN.PRINT_INTERVAL"),
            CeStartEpoch = config.Get("TRAIN.CE_START_EPOCH", 20),
            CeWarmEpoch = config.Get("TRAIN.CE_WARM_EPOCH", 80),
            Optimizer = new OSTrackOptimizerSettings(config.Get<double>("TRAIN.LR"), config.Get<double>("TRAIN.BACKBONE_MULTIPLIER"),
                config.Get<double>("TRAIN.WEIGHT_DECAY"), Positive("TRAIN.LR_DROP_EPOCH"), grad),
            LossWeights = OSTrackLossWeights.FromConfig(config),
            FreezeLayers = config.Get("TRAIN.FREEZE_LAYERS", Array.Empty<int>()),
            Workers = Math.Clamp(config.Get("TRAIN.NUM_WORKER", 1), 1, Environment.ProcessorCount),
            Sampler = new TrackingSamplerOptions
            {
                SamplesPerEpoch = samples,
                MaxSampleInterval = Positive("DATA.MAX_SAMPLE_INTERVAL"),
                TemplateFrames = config.Get("DATA.TEMPLATE.NUMBER", 1),
                SearchFrames = config.Get("DATA.SEARCH.NUMBER", 1),
                Mode = sampleMode,
                Seed = seed,
            },
            Processing = new OSTrackProcessingOptions
            {
                Template = Crop("TEMPLATE"),
                Search = Crop("SEARCH"),
                Mean = config.Get<float[]>("DATA.MEAN"),
                Std = config.Get<float[]>("DATA.STD"),
                HeatmapStride = config.Get<int>("MODEL.BACKBONE.STRIDE"),
            },
        };
    }
}
