using TrackSharp.Config;
using TrackSharp.Data.Processing;
using TrackSharp.Training.Schedules;

namespace TrackSharp.Trackers.SiamBAN.Training;

/// <summary>
/// The training part of a SiamBAN (pysot layout) config: <c>TRAIN.*</c> sizes, batch, epochs, losses' weights, SGD,
/// gradient clip and logging; the LR schedule (<see cref="PysotLrConfig"/>); <c>BACKBONE.TRAIN_EPOCH</c> /
/// <c>TRAIN_LAYERS</c>; <c>POINT.STRIDE</c>; <c>DATASET.NEG</c>, <c>GRAY</c>, <c>VIDEOS_PER_EPOCH</c> and the template /
/// search augmentation.
/// </summary>
public sealed record SiamBanTrainSettings
{
    public required int Epochs { get; init; }
    public required int BatchSize { get; init; }
    public required int NumWorkers { get; init; }
    public required int PrintFrequency { get; init; }
    public required double GradClip { get; init; }
    public required double ClsWeight { get; init; }
    public required double LocWeight { get; init; }
    public required double Momentum { get; init; }
    public required double WeightDecay { get; init; }
    public required int ExemplarSize { get; init; }
    public required int SearchSize { get; init; }
    public required int OutputSize { get; init; }
    public required int PointStride { get; init; }
    public required int PosNum { get; init; }
    public required int TotalNum { get; init; }
    public required int NegNum { get; init; }
    public required PysotLrConfig Lr { get; init; }
    public required int BackboneTrainEpoch { get; init; }
    public required IReadOnlyList<string> BackboneTrainLayers { get; init; }
    public required int VideosPerEpoch { get; init; }
    public required double Negative { get; init; }
    public required double Gray { get; init; }
    public required PysotAugmentationOptions TemplateAugmentation { get; init; }
    public required PysotAugmentationOptions SearchAugmentation { get; init; }

    /// <summary>Reads the settings; the score-map size must match the crop sizes as in <c>BANDataset</c>.</summary>
    /// <param name="config">The config.</param>
    /// <param name="checkOutputSize">Apply siamban's <c>BANDataset</c> size check. NanoTrack's dataset code has no such check
    /// (its 16x16 / 15x15 maps at stride 16 fail it), so its trainer passes false and checks the size against its model.</param>
    /// <exception cref="ConfigException">TRAIN.OUTPUT_SIZE does not match, or a value is out of range (names the key).</exception>
    public static SiamBanTrainSettings FromConfig(ExperimentConfig config, bool checkOutputSize = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        var s = new SiamBanTrainSettings
        {
            Epochs = config.Get<int>("TRAIN.EPOCH"),
            BatchSize = config.Get<int>("TRAIN.BATCH_SIZE"),
            NumWorkers = config.Get("TRAIN.NUM_WORKERS", 1),
            PrintFrequency = config.Get("TRAIN.PRINT_FREQ", 20),
            GradClip = config.Get("TRAIN.GRAD_CLIP", 10.0),
            ClsWeight = config.Get("TRAIN.CLS_WEIGHT", 1.0),
            LocWeight = config.Get("TRAIN.LOC_WEIGHT", 1.0),
            Momentum = config.Get("TRAIN.MOMENTUM", 0.9),
            WeightDecay = config.Get("TRAIN.WEIGHT_DECAY", 1e-4),
            ExemplarSize = config.Get("TRAIN.EXEMPLAR_SIZE", 127),
            SearchSize = config.Get("TRAIN.SEARCH_SIZE", 255),
            OutputSize = config.Get("TRAIN.OUTPUT_SIZE", 25),
            PointStride = config.Get("POINT.STRIDE", 8),
            PosNum = config.Get("TRAIN.POS_NUM", 16),
            TotalNum = config.Get("TRAIN.TOTAL_NUM", 64),
            NegNum = config.Get("TRAIN.NEG_NUM", 16),
            Lr = PysotLrConfig.FromConfig(config),
            BackboneTrainEpoch = config.Get("BACKBONE.TRAIN_EPOCH", 10),
            BackboneTrainLayers = config.Get<List<string>>("BACKBONE.TRAIN_LAYERS", ["layer2", "layer3", "layer4"]),
            VideosPerEpoch = config.Get("DATASET.VIDEOS_PER_EPOCH", 1_000_000),
            Negative = config.Get("DATASET.NEG", 0.2),
            Gray = config.Get("DATASET.GRAY", 0.0),
            TemplateAugmentation = Augmentation(config, "DATASET.TEMPLATE", PysotAugmentationOptions.Template),
            SearchAugmentation = Augmentation(config, "DATASET.SEARCH", PysotAugmentationOptions.Search),
        };
        int baseSize = config.Get("TRAIN.BASE_SIZE", 8);
        if (s.PointStride <= 0) throw config.Error("POINT.STRIDE", $"must be positive, got {s.PointStride}");
        // BANDataset: (SEARCH_SIZE - EXEMPLAR_SIZE) / STRIDE + 1 + BASE_SIZE must equal OUTPUT_SIZE ("size not match!").
        double desired = (s.SearchSize - s.ExemplarSize) / (double)s.PointStride + 1 + baseSize;
        if (checkOutputSize && desired != s.OutputSize)
            throw config.Error("TRAIN.OUTPUT_SIZE", $"{s.OutputSize} does not match (SEARCH_SIZE - EXEMPLAR_SIZE) / STRIDE + 1 + BASE_SIZE = {desired}");
        if (s.OutputSize < 1) throw config.Error("TRAIN.OUTPUT_SIZE", $"must be positive, got {s.OutputSize}");
        if (s.Epochs < 1) throw config.Error("TRAIN.EPOCH", $"must be at least 1, got {s.Epochs}");
        if (s.BatchSize < 1) throw config.Error("TRAIN.BATCH_SIZE", $"must be at least 1, got {s.BatchSize}");
        if (s.PrintFrequency < 1) throw config.Error("TRAIN.PRINT_FREQ", $"must be at least 1, got {s.PrintFrequency}");
        if (!(s.GradClip > 0)) throw config.Error("TRAIN.GRAD_CLIP", $"must be positive, got {s.GradClip}");
        if (s.Lr.Warmup is not null && s.Lr.WarmupEpochs >= s.Epochs)
            throw config.Error("TRAIN.LR_WARMUP.EPOCH", $"{s.Lr.WarmupEpochs} warm-up epochs leave none of TRAIN.EPOCH = {s.Epochs} for TRAIN.LR");
        return s;
    }

    private static PysotAugmentationOptions Augmentation(ExperimentConfig config, string path, PysotAugmentationOptions fallback) => new(
        config.Get(path + ".SHIFT", fallback.Shift), config.Get(path + ".SCALE", fallback.Scale), config.Get(path + ".BLUR", fallback.Blur),
        config.Get(path + ".FLIP", fallback.Flip), config.Get(path + ".COLOR", fallback.Color));
}
